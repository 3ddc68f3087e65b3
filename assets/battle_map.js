/* Battle map: draws the CHART store (the builder's figure of the whole view) into the graph.
   A small view, or a meeting's screen, is drawn whole. A big one (layout.meta.window) is
   drawn as a window: only the rows in sight of the scroll box #bm-scroll (and a few on
   either side), redrawn with Plotly.react as the box scrolls, so plotly.js never lays out
   ten thousand bars. Each trace holds one kind of mark with its points in row order (see
   tracker/gantt/figure.py), so a window is a slice of every per-point array, found by a
   binary search on the trace's rows. Row numbers stay absolute on the hidden axis "y";
   the labels' category axis "y2" gets the window's labels and a range shifted to match.
   Clicks, hover texts, the open-problem badges and the x zoom are plotly's, as before. */
(function () {
  var OVERSCAN = 4; /* rows drawn past each edge of the box */
  var drawn = { full: null, traces: null, range: null, frame: 0 };

  function pointCount(trace) {
    var points = trace.yaxis === "y2" ? trace.y : trace.x;
    return points ? points.length : 0;
  }

  function lowerBound(rows, value) {
    var lo = 0;
    var hi = rows.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (rows[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /* Each trace with the row of each of its points. */
  function prepare(fig) {
    return fig.data.map(function (trace) {
      var n = pointCount(trace);
      var rows = new Float64Array(n);
      var sorted = true;
      var labels = trace.yaxis === "y2"; /* the label trace: point i is row i */
      var y0 = Number(trace.y0 || 0);
      var dy = trace.dy === undefined || trace.dy === null ? 1 : Number(trace.dy);
      for (var i = 0; i < n; i++) {
        if (labels) {
          rows[i] = i;
        } else if (!trace.y) {
          rows[i] = y0 + dy * i;
        } else if (trace.y[i] === null) {
          rows[i] = i ? rows[i - 1] : 0; /* a gap between two links: its link's row */
        } else {
          /* a 前期 chain (#17) puts its marks inside their project's row: rounded to it */
          rows[i] = Math.round(Number(trace.y[i]));
        }
        if (i && rows[i] < rows[i - 1]) {
          sorted = false;
        }
      }
      return { trace: trace, rows: rows, n: n, sorted: sorted, dy: dy };
    });
  }

  /* The time axis of the whole view (every bar and mark, and today), fixed while the
     window moves: plotly's autorange would fit each window anew. */
  function timeRange(fig) {
    var lo = Infinity;
    var hi = -Infinity;
    var parsed = {};
    function ms(text) {
      var value = parsed[text];
      if (value === undefined) {
        value = parsed[text] = Date.parse(String(text).slice(0, 10));
      }
      return value;
    }
    fig.data.forEach(function (trace) {
      if (trace.xaxis && trace.xaxis !== "x") {
        return;
      }
      var i;
      if (trace.type === "bar" && trace.base) {
        for (i = 0; i < trace.base.length; i++) {
          var start = ms(trace.base[i]);
          lo = Math.min(lo, start);
          hi = Math.max(hi, start + Number(trace.x[i]));
        }
      } else if (trace.x) {
        for (i = 0; i < trace.x.length; i++) {
          var at = ms(trace.x[i]);
          lo = Math.min(lo, at);
          hi = Math.max(hi, at);
        }
      } else if (trace.x0) {
        lo = Math.min(lo, ms(trace.x0));
        hi = Math.max(hi, ms(trace.x0));
      }
    });
    if (!isFinite(lo) || !isFinite(hi)) {
      return null;
    }
    var pad = Math.max((hi - lo) * 0.02, 86400000);
    return [new Date(lo - pad).toISOString().slice(0, 10), new Date(hi + pad).toISOString().slice(0, 10)];
  }

  function sliceTrace(p, r0, r1) {
    var trace = p.trace;
    if (!p.sorted) {
      return trace; /* never built so; drawn whole rather than wrong */
    }
    var lo = lowerBound(p.rows, r0);
    var hi = lowerBound(p.rows, r1);
    if (hi === lo && p.n) {
      /* none in the window: keep one point out of sight, so the legend keeps the trace */
      if (lo < p.n) {
        hi = lo + 1;
      } else {
        lo = lo - 1;
      }
    }
    var out = {};
    for (var key in trace) {
      var value = trace[key];
      out[key] = Array.isArray(value) && value.length === p.n ? value.slice(lo, hi) : value;
    }
    var marker = trace.marker;
    if (marker && Array.isArray(marker.color) && marker.color.length === p.n) {
      out.marker = Object.assign({}, marker, { color: marker.color.slice(lo, hi) });
    }
    if (!trace.y && trace.yaxis !== "y2") {
      out.y0 = Number(trace.y0 || 0) + lo * p.dy;
    }
    return out;
  }

  /* The figure of the rows in sight of ``box``; sizes the spacer that makes it scroll. */
  function windowFigure(box) {
    var fig = drawn.full;
    var layout = fig.layout;
    var meta = layout.meta;
    var rowPx = Number(meta.row_px) || 22;
    var count = Number(meta.row_count) || 0;
    var margin = layout.margin || { t: 0, b: 0 };
    var height = Math.max(box.clientHeight, 200);
    var shown = Math.max((height - margin.t - margin.b) / rowPx, 1);
    var last = Math.max(count - shown, 0);
    var spacer = box.querySelector(".bm-spacer");
    if (spacer) {
      spacer.style.height = Math.round(last * rowPx) + "px";
    }
    var top = Math.min(box.scrollTop / rowPx, last);
    var r0 = Math.max(Math.floor(top) - OVERSCAN, 0);
    var r1 = Math.min(Math.ceil(top + shown) + OVERSCAN, count);
    var scale = layout.height / height; /* title and legend sit at fixed pixels from the top */
    var out = Object.assign({}, layout, {
      height: height,
      yaxis: Object.assign({}, layout.yaxis, { range: [top + shown - 0.5, top - 0.5] }),
      yaxis2: Object.assign({}, layout.yaxis2, {
        range: [top - r0 + shown - 0.5, top - r0 - 0.5],
      }),
      shapes: (layout.shapes || [])
        .filter(function (s) {
          return (s.yref && s.yref !== "y") || (s.y1 >= r0 - 0.5 && s.y0 <= r1 - 0.5);
        })
        .map(function (s) {
          return Object.assign({}, s);
        }),
      meta: Object.assign({}, meta, { window_rows: [r0, r1] }),
    });
    if (layout.title) {
      out.title = Object.assign({}, layout.title, { y: 1 - (1 - layout.title.y) * scale });
    }
    if (layout.legend) {
      out.legend = Object.assign({}, layout.legend, { y: 1 - (1 - layout.legend.y) * scale });
    }
    if (!(layout.xaxis && layout.xaxis.range) && drawn.range) {
      out.xaxis = Object.assign({}, layout.xaxis, { range: drawn.range.slice() });
    }
    return {
      data: drawn.traces.map(function (p) {
        return sliceTrace(p, r0, r1);
      }),
      layout: out,
    };
  }

  function redraw(box) {
    drawn.frame = 0;
    var graph = box.querySelector(".js-plotly-plot");
    if (!graph || !drawn.traces || !window.Plotly || !box.classList.contains("bm-windowed")) {
      return;
    }
    var fig = windowFigure(box);
    window.Plotly.react(graph, fig.data, fig.layout);
  }

  function hook(box) {
    if (box.__bmHooked) {
      return;
    }
    box.__bmHooked = true;
    function later() {
      if (!drawn.frame) {
        drawn.frame = window.requestAnimationFrame(function () {
          redraw(box);
        });
      }
    }
    box.addEventListener("scroll", later, { passive: true });
    window.addEventListener("resize", later);
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    battleMap: {
      draw: function (fig) {
        var box = document.getElementById("bm-scroll");
        if (!fig || !fig.data || !fig.layout) {
          return window.dash_clientside.no_update;
        }
        var windowed = Boolean(box && fig.layout.meta && fig.layout.meta.window);
        drawn.full = fig;
        drawn.traces = windowed ? prepare(fig) : null;
        drawn.range = windowed ? timeRange(fig) : null;
        if (!windowed) {
          if (box) {
            var spacer = box.querySelector(".bm-spacer");
            if (spacer) {
              spacer.style.height = "0px";
            }
            box.classList.remove("bm-windowed");
            box.scrollTop = 0;
          }
          return fig;
        }
        box.classList.add("bm-windowed");
        hook(box);
        return windowFigure(box);
      },
    },
  });

  /* Scroll the map so that ``row`` (0-based, top to bottom) is the first row in sight. */
  window.trackerBattleMapScrollTo = function (row) {
    var box = document.getElementById("bm-scroll");
    var meta = drawn.full && drawn.full.layout.meta;
    if (box && meta) {
      box.scrollTop = Number(row) * (Number(meta.row_px) || 22);
    }
  };
})();

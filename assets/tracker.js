/* Client-side helpers of the tracker. No user text is ever inserted as HTML here:
   React elements get text children, and links are built from numeric ids only. */
/* Battle map: what each row shows, top to bottom (a project id or a group key), read from
   the bars that carry it (customdata[0] of the plan and group summary bars; a trace's
   rows are its `y`, or the run from `y0`), as tracker.gantt.figure.row_keys does. */
window.trackerBattleMapRows = function (graph) {
  var keys = [];
  var traces = (graph && graph.data) || [];
  for (var t = 0; t < traces.length; t++) {
    var trace = traces[t];
    var custom = trace.customdata;
    if (trace.type !== "bar" || !custom || trace.meta === "chain") {
      continue;
    }
    for (var i = 0; i < custom.length; i++) {
      var row = trace.y ? Number(trace.y[i]) : Number(trace.y0 || 0) + i * Number(trace.dy || 1);
      if (custom[i] && row >= 0 && row < 100000) {
        keys[row] = custom[i][0];
      }
    }
  }
  return keys;
};

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  tracker: {
    /* A page's toasts (its notice store, tracker/web/notices.py) to the shell's container. */
    relayNotice: function () {
      var fired = window.dash_clientside.callback_context.triggered || [];
      for (var i = 0; i < fired.length; i++) {
        if (Array.isArray(fired[i].value) && fired[i].value.length) {
          return fired[i].value;
        }
      }
      return window.dash_clientside.no_update;
    },
    /* Put the page's filter into the address bar without reloading (shareable links). */
    replaceQuery: function (query) {
      if (typeof query === "string") {
        var url = window.location.pathname + (query ? "?" + query : "");
        window.history.replaceState(window.history.state, "", url);
      }
      return window.dash_clientside.no_update;
    },
    /* Column choice of the project list: hide what is not ticked (no server round trip). */
    showColumns: function (visible, defs) {
      if (!Array.isArray(visible) || !Array.isArray(defs)) {
        return window.dash_clientside.no_update;
      }
      var changed = false;
      var next = defs.map(function (d) {
        var hide = visible.indexOf(d.colId) < 0;
        if (Boolean(d.hide) !== hide) {
          changed = true;
        }
        return Object.assign({}, d, { hide: hide });
      });
      return changed ? next : window.dash_clientside.no_update;
    },
    /* Battle map: a click on a project's bar (or any mark on its row) opens the project;
       a click on a group's summary bar folds or unfolds the group; zooming by dragging
       on the chart, or resetting it, becomes a view change. Everything else is ignored. */
    battleMapEvent: function (click, relayout) {
      var nu = window.dash_clientside.no_update;
      var trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
      if (trigger.indexOf("clickData") >= 0) {
        var point = click && click.points && click.points[0];
        if (!point) {
          return nu;
        }
        var key = point.customdata && point.customdata[0];
        if (key === undefined || key === null) {
          var graph = document.querySelector("#bm-graph .js-plotly-plot");
          key = window.trackerBattleMapRows(graph)[Number(point.y)];
        }
        if (typeof key === "number" && isFinite(key)) {
          window.trackerGo("/projects/" + Math.floor(key));
          return nu;
        }
        if (typeof key === "string" && key.charAt(0) === "/") {
          window.trackerGo(key); /* a 前期 step (#17): its project page, the step opened */
          return nu;
        }
        if (typeof key === "string") {
          return { kind: "toggle", key: key, at: Date.now() };
        }
        return nu;
      }
      if (!relayout || typeof relayout !== "object") {
        return nu;
      }
      var from = relayout["xaxis.range[0]"];
      var to = relayout["xaxis.range[1]"];
      if (Array.isArray(relayout["xaxis.range"])) {
        from = relayout["xaxis.range"][0];
        to = relayout["xaxis.range"][1];
      }
      if (typeof from === "string" && typeof to === "string") {
        return { kind: "range", from: from.slice(0, 10), to: to.slice(0, 10), at: Date.now() };
      }
      if (relayout["xaxis.autorange"] === true) {
        return { kind: "autorange", at: Date.now() };
      }
      return nu;
    },
    /* The PNG button does what the modebar's camera does, with the same options. */
    downloadPng: function (clicks, config) {
      var graph = document.querySelector("#bm-graph .js-plotly-plot");
      if (clicks && graph && window.Plotly) {
        var options = Object.assign(
          { format: "png", scale: 2, filename: "battle_map" },
          (config && config.toImageButtonOptions) || {}
        );
        window.Plotly.downloadImage(graph, options);
      }
      return window.dash_clientside.no_update;
    },
    /* Meeting mode asks for the whole screen (the switch's click is the user's gesture). */
    fullScreen: function (meeting) {
      var trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
      var entering = trigger.indexOf("checked") >= 0 && meeting === true;
      try {
        if (entering && !document.fullscreenElement && document.documentElement.requestFullscreen) {
          document.documentElement.requestFullscreen().catch(function () {});
        } else if (!entering && document.fullscreenElement && document.exitFullscreen) {
          document.exitFullscreen().catch(function () {});
        }
      } catch (e) {
        /* full screen is a nicety: the page works without it */
      }
      return window.dash_clientside.no_update;
    },
    /* The language links return to the page the user is on. */
    langLinks: function () {
      var next = encodeURIComponent(window.location.pathname + window.location.search);
      return ["/lang/zh?next=" + next, "/lang/en?next=" + next];
    },
  },
});

/* Charts load plotly.js's basic bundle (bar, scatter, pie: every chart the app draws) from
   assets/vendor instead of the full bundle: a quarter of the size, about 0.7 s sooner to the
   first chart in a fresh browser on a 2-core machine. dcc.Graph loads the script at
   window._dashPlotlyJSURL the first time a chart needs plotly; Dash sets that address when
   it starts, so the setter keeps Dash's path prefix and swaps the file. */
(function () {
  var bundle = "assets/vendor/plotly-basic-4.1.1.min.js";
  var url = "/" + bundle;
  Object.defineProperty(window, "_dashPlotlyJSURL", {
    configurable: true,
    get: function () {
      return url;
    },
    set: function (value) {
      var text = String(value);
      var at = text.indexOf("_dash-component-suites/");
      url = (at >= 0 ? text.slice(0, at) : "/") + bundle;
    },
  });
})();

/* Go to a path inside the app without reloading it (Dash pages renders the new path). */
window.trackerGo = function (href) {
  window.history.pushState({}, "", href);
  window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
  window.scrollTo(0, 0);
};

/* A nav link to the page already open, whose address that page has since rewritten (its
   filters go into the query with history.replaceState, see replaceQuery): Dash's router
   still holds the address it rendered, sees no change, and would leave the filtered view
   under the bare address. Load the link's address instead, so address and view agree. */
document.addEventListener(
  "click",
  function (event) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var link = event.target && event.target.closest ? event.target.closest(".app-nav a[href]") : null;
    if (!link || link.origin !== window.location.origin) {
      return;
    }
    if (link.pathname === window.location.pathname && link.search !== window.location.search) {
      event.preventDefault();
      event.stopPropagation();
      window.location.assign(link.href);
    }
  },
  true
);

/* Range slider thumbs of the battle map: month number -> "2026-03". */
window.dashMantineFunctions = Object.assign({}, window.dashMantineFunctions, {
  trackerMonthLabel: function (value, options) {
    var start = String((options && options.start) || "2000-01-01");
    var index = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1 + Number(value);
    var year = Math.floor(index / 12);
    var month = (index % 12) + 1;
    return year + "-" + (month < 10 ? "0" : "") + month;
  },
});

/* In-app navigation like dcc.Link: push the URL and let Dash pages render it. */
window.trackerNavigate = function (event, href) {
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.button === 1) {
    return; /* let the browser open a new tab */
  }
  event.preventDefault();
  window.history.pushState({}, "", href);
  window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
  window.scrollTo(0, 0);
};

var dagcomponentfuncs = (window.dashAgGridComponentFunctions =
  window.dashAgGridComponentFunctions || {});

/* Project name as a link to its page; the href uses the numeric id only. */
dagcomponentfuncs.ProjectLink = function (props) {
  var id = props.data ? parseInt(props.data.id, 10) : NaN;
  var text = props.value === null || props.value === undefined ? "" : String(props.value);
  if (!isFinite(id)) {
    return React.createElement("span", null, text);
  }
  var href = "/projects/" + id;
  return React.createElement(
    "a",
    {
      href: href,
      className: "grid-link",
      onClick: function (event) {
        window.trackerNavigate(event, href);
      },
    },
    text
  );
};

/* Indicator name as a link to its page (#16); the href uses the numeric id only. */
dagcomponentfuncs.IndicatorLink = function (props) {
  var id = props.data ? parseInt(props.data.id, 10) : NaN;
  var text = props.value === null || props.value === undefined ? "" : String(props.value);
  if (!isFinite(id)) {
    return React.createElement("span", null, text);
  }
  var href = "/indicators/" + id;
  return React.createElement(
    "a",
    {
      href: href,
      className: "grid-link",
      onClick: function (event) {
        window.trackerNavigate(event, href);
      },
    },
    text
  );
};

/* Traffic light: a coloured dot and its label. */
dagcomponentfuncs.LightCell = function (props) {
  var light = props.data ? String(props.data.light) : "";
  var safe = ["red", "amber", "green"].indexOf(light) >= 0 ? light : "none";
  return React.createElement(
    "span",
    { className: "light-cell" },
    React.createElement("span", { className: "light-dot light-dot-" + safe }),
    React.createElement("span", null, props.value === null ? "" : String(props.value))
  );
};

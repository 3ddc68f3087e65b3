/* #18: the map page (open a project by its point; pick a place by a click) and the photo
   upload (shrink large photos in the browser before they are sent, keeping their EXIF). */

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  trackerMap: {
    /* A click on a project's point opens the project, unless a project is being placed. */
    openProject: function (clickData) {
      var nothing = window.dash_clientside.no_update;
      var picking = document.getElementById("mp-locate-project");
      if (picking && picking.value) {
        return nothing;
      }
      var point = clickData && clickData.points && clickData.points[0];
      if (!point || !Array.isArray(point.customdata)) {
        return nothing;
      }
      window.trackerGo("/projects/" + encodeURIComponent(point.customdata[0]));
      return nothing;
    },
  },
});

/* Placing a project: a click (not a drag) on the map while a project is chosen in the
   "set a project's location" box sets mp-point to the clicked longitude/latitude. Pointer
   events cover mouse and touch; plotly's own drag handling is left alone. */
(function () {
  var down = null;
  function plotArea(target) {
    var graph = target && target.closest ? target.closest("#mp-graph .js-plotly-plot") : null;
    return graph && graph._fullLayout ? graph : null;
  }
  window.addEventListener(
    "pointerdown",
    function (event) {
      var graph = plotArea(event.target);
      down = graph ? { graph: graph, x: event.clientX, y: event.clientY } : null;
    },
    true
  );
  window.addEventListener(
    "pointerup",
    function (event) {
      var start = down;
      down = null;
      var picking = document.getElementById("mp-locate-project");
      if (!start || !picking || !picking.value || !window.dash_clientside.set_props) {
        return;
      }
      if (Math.abs(event.clientX - start.x) > 5 || Math.abs(event.clientY - start.y) > 5) {
        return;
      }
      var layout = start.graph._fullLayout;
      var box = start.graph.querySelector(".nsewdrag").getBoundingClientRect();
      var lon = layout.xaxis.p2c(event.clientX - box.left);
      var lat = layout.yaxis.p2c(event.clientY - box.top);
      if (!isFinite(lat) || !isFinite(lon)) {
        return;
      }
      window.dash_clientside.set_props("mp-point", {
        data: { lat: Math.round(lat * 1e6) / 1e6, lon: Math.round(lon * 1e6) / 1e6 },
      });
    },
    true
  );
})();

/* Photo upload: a JPEG larger than MAX_SIDE pixels (or MAX_BYTES) is redrawn at MAX_SIDE on
   a canvas and re-encoded; its EXIF segment (time taken, GPS) is copied into the smaller
   file with the orientation set to "upright", since the canvas has already turned it. The
   file input of .photo-drop is intercepted before Dash's uploader reads it, and handed on
   with the smaller files. A browser that cannot (no createImageBitmap/DataTransfer) sends
   the originals; the server checks and shrinks every photo anyway. */
(function () {
  var MAX_SIDE = 2560;
  var MAX_BYTES = 1.5 * 1024 * 1024;
  var handed = new WeakSet();

  function exifSegment(bytes) {
    if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
    var at = 2;
    while (at + 4 < bytes.length && bytes[at] === 0xff) {
      var marker = bytes[at + 1];
      var length = (bytes[at + 2] << 8) | bytes[at + 3];
      if (marker === 0xe1 && bytes[at + 4] === 0x45 && bytes[at + 5] === 0x78) {
        return bytes.slice(at, at + 2 + length);
      }
      if (marker === 0xda) break;
      at += 2 + length;
    }
    return null;
  }

  function uprightExif(segment) {
    /* set tag 0x0112 (orientation) of IFD0 to 1; the TIFF header starts 10 bytes in */
    var tiff = 10;
    var little = segment[tiff] === 0x49;
    var view = new DataView(segment.buffer, segment.byteOffset, segment.byteLength);
    var ifd = tiff + view.getUint32(tiff + 4, little);
    var count = view.getUint16(ifd, little);
    for (var i = 0; i < count; i++) {
      var entry = ifd + 2 + i * 12;
      if (view.getUint16(entry, little) === 0x0112) view.setUint16(entry + 8, 1, little);
    }
    return segment;
  }

  function withExif(jpeg, segment) {
    var out = new Uint8Array(jpeg.length + segment.length);
    out.set(jpeg.subarray(0, 2), 0);
    out.set(segment, 2);
    out.set(jpeg.subarray(2), 2 + segment.length);
    return out;
  }

  async function shrink(file) {
    if (!/^image\/jpeg$/i.test(file.type)) return file;
    var bytes = new Uint8Array(await file.arrayBuffer());
    var bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    var side = Math.max(bitmap.width, bitmap.height);
    if (side <= MAX_SIDE && file.size <= MAX_BYTES) return file;
    var scale = Math.min(1, MAX_SIDE / side);
    var canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    var blob = await new Promise(function (done) {
      canvas.toBlob(done, "image/jpeg", 0.88);
    });
    var jpeg = new Uint8Array(await blob.arrayBuffer());
    var segment = exifSegment(bytes);
    if (segment) {
      try {
        jpeg = withExif(jpeg, uprightExif(segment));
      } catch (error) {
        return file; /* an EXIF we cannot edit safely: send the original */
      }
    }
    if (jpeg.length >= file.size) return file;
    return new File([jpeg], file.name, { type: "image/jpeg", lastModified: file.lastModified });
  }

  document.addEventListener(
    "change",
    function (event) {
      var input = event.target;
      if (!input || input.type !== "file" || !input.closest || !input.closest(".photo-drop")) return;
      if (handed.has(event) || !window.createImageBitmap || !window.DataTransfer) return;
      event.stopImmediatePropagation();
      var files = Array.prototype.slice.call(input.files || []);
      Promise.all(
        files.map(function (file) {
          return shrink(file).catch(function () {
            return file;
          });
        })
      ).then(function (smaller) {
        var transfer = new DataTransfer();
        smaller.forEach(function (file) {
          transfer.items.add(file);
        });
        input.files = transfer.files;
        var again = new Event("change", { bubbles: true });
        handed.add(again);
        input.dispatchEvent(again);
      });
    },
    true
  );
})();

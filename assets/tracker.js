/* Client-side helpers of the tracker. No user text is ever inserted as HTML here:
   React elements get text children, and links are built from numeric ids only. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  tracker: {
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
    /* The language links return to the page the user is on. */
    langLinks: function () {
      var next = encodeURIComponent(window.location.pathname + window.location.search);
      return ["/lang/zh?next=" + next, "/lang/en?next=" + next];
    },
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

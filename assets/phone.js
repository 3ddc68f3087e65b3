/* #18 the phone: the navigation folds behind the burger below Mantine's "sm" breakpoint. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  phone: {
    /* The burger opens and closes the navbar (AppShell's navbar.collapsed.mobile). */
    navbar: function (opened, navbar) {
      var next = Object.assign({}, navbar || {});
      next.collapsed = Object.assign({}, next.collapsed || {}, { mobile: !opened });
      return next;
    },
    /* A tap on a link of the navigation leaves it folded on the page it opens. */
    closeMenu: function () {
      return false;
    },
  },
});

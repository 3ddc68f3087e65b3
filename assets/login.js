/* The login form (tracker/web/auth.py's page; not a Dash page, so app.py keeps this file out
   of Dash's pages). Once the form is sent, its button says the login is under way and later
   submits are ignored: when the whole office signs in at the start of a dispatch meeting a
   password check can take a while, and an impatient second click would only queue a second
   check behind the first. A page shown again from the back/forward cache is usable again. */
(function () {
  "use strict";
  var form = document.querySelector("form[action='/login']");
  if (!form) {
    return;
  }
  var button = form.querySelector("button[type=submit]");
  var idle = button ? button.textContent : "";

  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-sent") === "1") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sent", "1");
    if (button) {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      button.textContent = button.getAttribute("data-busy") || idle;
    }
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      form.removeAttribute("data-sent");
      if (button) {
        button.disabled = false;
        button.removeAttribute("aria-busy");
        button.textContent = idle;
      }
    }
  });
})();

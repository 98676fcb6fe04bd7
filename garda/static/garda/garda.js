/* Progressive enhancement only: every page works without this file.
   1. Phones: fold the main menu behind the "Menu" button (docs/design.md, Header).
   2. After an HTMX swap that brings an error summary, move focus to it. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function setUpMenu() {
    var button = document.querySelector("[data-menu-toggle]");
    var nav = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    button.hidden = false;
    nav.classList.add("is-closed");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      nav.classList.toggle("is-closed", open);
    });
  }
  function focusErrors(root) {
    var summary = (root || document).querySelector(".error-summary");
    if (summary) summary.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpMenu);
  } else {
    setUpMenu();
  }
  document.addEventListener("htmx:afterSwap", function (event) { focusErrors(event.target); });
})();

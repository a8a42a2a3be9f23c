// innohub: small progressive enhancements. Without JavaScript every page still works.
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  var header = document.querySelector(".site-header");
  if (toggle && header) {
    toggle.hidden = false;
    header.classList.add("js-menu-collapsed");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      header.classList.toggle("js-menu-collapsed", open);
    });
  }
  // A form's error summary (GOV.UK's pattern) takes the focus when the page opens, so keyboard
  // and screen-reader users start at the list of problems and its links to the fields.
  // tabindex="-1" lets only a script focus it; it is dropped on blur so a later click on the
  // summary does not outline it again.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
    summary.addEventListener("blur", function () { summary.removeAttribute("tabindex"); }, { once: true });
    summary.focus();
  }
})();

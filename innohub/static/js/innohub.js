// innohub: small progressive enhancements. Without JavaScript every page still works.
(function () {
  "use strict";
  // A menu that a button opens and closes (the disclosure pattern): the header's on a phone or a
  // tablet, the back office's sidebar on a phone. Without JavaScript the button stays hidden
  // and the menu open; CSS shows the button only where the menu is collapsed at that width.
  var disclosure = function (toggle, container, collapsedClass) {
    if (!toggle || !container) { return; }
    toggle.hidden = false;
    container.classList.add(collapsedClass);
    var setOpen = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      container.classList.toggle(collapsedClass, !open);
    };
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes the open menu and gives the focus back to its button, so it is not left on
    // a link the menu has just hidden; not where the button is not shown (a wide screen).
    container.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true" || toggle.offsetParent === null) { return; }
      setOpen(false);
      toggle.focus();
    });
  };
  disclosure(document.querySelector(".menu-toggle"), document.querySelector(".site-header"), "js-menu-collapsed");
  disclosure(document.querySelector(".bo-menu-toggle"), document.querySelector(".bo-nav"), "js-bo-collapsed");
  // A list's filters (partials/filter_panel.html) are closed on a phone, so that the list comes
  // first; where tables no longer stack one card a row (wider than 640px) they stand open.
  if (window.matchMedia && !window.matchMedia("(max-width: 640px)").matches) {
    document.querySelectorAll("details.filter-panel").forEach(function (panel) { panel.open = true; });
  }
  // A button that cannot be pressed yet is aria-disabled, not disabled, so that keyboard and
  // screen-reader users reach it and hear why (its aria-describedby): pressed, it sends nothing
  // and leads to what must be settled first.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest('button[aria-disabled="true"]');
    if (!button) { return; }
    event.preventDefault();
    var reason = document.getElementById((button.getAttribute("aria-describedby") || "").split(" ")[0]);
    if (reason) { reason.focus(); }
  });
  // A form's error summary (GOV.UK's pattern) takes the focus when the page opens, so keyboard
  // and screen-reader users start at the list of problems and its links to the fields.
  // tabindex="-1" lets only a script focus it; it is dropped on blur so a later click on the
  // summary does not outline it again.
  // Without one, the page's messages take it (GOV.UK's notification banner): after a step
  // such as "Approve", the reader hears "… is now Approved" rather than the header again.
  // Not where a field asks for the focus itself (autofocus, the login form).
  var summary = document.querySelector(".error-summary") ||
    (document.querySelector("[autofocus]") ? null : document.querySelector(".messages"));
  if (summary) {
    if (!summary.hasAttribute("tabindex")) { summary.setAttribute("tabindex", "-1"); }
    summary.addEventListener("blur", function () { summary.removeAttribute("tabindex"); }, { once: true });
    summary.focus();
  }
})();

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
})();

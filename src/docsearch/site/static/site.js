/* docsearch: small enhancements shared by every page. */
(function () {
  "use strict";
  // Printed pages should show what folded <details> hide on screen.
  window.addEventListener("beforeprint", function () {
    var all = document.querySelectorAll("details:not([open])");
    for (var i = 0; i < all.length; i++) {
      all[i].setAttribute("open", "");
      all[i].setAttribute("data-print-opened", "");
    }
  });
  window.addEventListener("afterprint", function () {
    var all = document.querySelectorAll("details[data-print-opened]");
    for (var i = 0; i < all.length; i++) {
      all[i].removeAttribute("open");
      all[i].removeAttribute("data-print-opened");
    }
  });
})();

/* docsearch: small enhancements shared by every page. */
(function () {
  "use strict";
  // Live application: "/documents/#3" typed in the address bar reaches the
  // server as "/documents/" (a browser keeps "#3" to itself): ask for #3.
  if (document.documentElement.hasAttribute("data-live") && window.location.pathname === "/documents/" &&
      /^#\d+$/.test(window.location.hash)) {
    window.location.replace("/documents/%23" + window.location.hash.slice(1));
  }
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

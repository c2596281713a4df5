/* docsearch live application: results as you type, the checker's buttons.
 * Pages work without it; this file only makes them quicker to use. */
(function () {
  "use strict";

  // --- search as you type ---------------------------------------------------------
  var form = document.getElementById("live-search");
  var results = document.getElementById("results");
  if (form && results) {
    var input = form.querySelector("input[name=q]");
    var timer = null;
    var inflight = null;
    var last = input.value;

    var update = function (query) {
      if (inflight) { inflight.abort(); }
      var address = form.getAttribute("action") + (query ? "?q=" + encodeURIComponent(query) : "");
      window.history.replaceState(null, "", address);
      if (!query.trim()) { results.textContent = ""; return; }
      inflight = new AbortController();
      var url = form.getAttribute("data-partial") + "?partial=1&q=" + encodeURIComponent(query);
      fetch(url, { signal: inflight.signal, credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          results.innerHTML = html;  // rendered and escaped by the server
          results.setAttribute("data-query", query);
        })
        .catch(function (err) { if (err.name !== "AbortError") { results.setAttribute("data-error", String(err)); } });
    };

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (input.value !== last) { last = input.value; update(input.value); }
      }, 150);
    });
  }

  // --- the checker ---------------------------------------------------------------------
  document.addEventListener("click", function (ev) {
    var target = ev.target;
    if (!(target instanceof HTMLElement)) { return; }
    if (target.classList.contains("copy")) {
      var text = target.getAttribute("data-copy") || "";
      var done = function () { target.textContent = target.getAttribute("data-done") || "✓"; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { window.prompt("", text); });
      } else {
        window.prompt("", text);
      }
    } else if (target.classList.contains("apply")) {
      var area = document.getElementById("draft-text");
      var find = target.getAttribute("data-find") || "";
      var at = area ? area.value.indexOf(find) : -1;
      if (area && find && at >= 0) {
        area.value = area.value.slice(0, at) + (target.getAttribute("data-replace") || "") + area.value.slice(at + find.length);
        var check = document.getElementById("check-form");
        if (check) { check.submit(); }
      }
    }
  });
})();

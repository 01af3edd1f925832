(function () {
  "use strict";
  var selects = document.querySelectorAll("select[data-filter]");
  var shown = document.getElementById("shown");
  function apply() {
    var want = {};
    selects.forEach(function (s) { want[s.dataset.filter] = s.value; });
    var n = 0;
    document.querySelectorAll("tbody.check").forEach(function (tb) {
      var ok = (!want.severity || tb.dataset.severity === want.severity) &&
        (!want.verdict || tb.dataset.verdict === want.verdict) &&
        (!want.area || tb.dataset.area === want.area) &&
        (!want.flow || (" " + tb.dataset.flows + " ").indexOf(" " + want.flow + " ") >= 0);
      tb.classList.toggle("hidden", !ok);
      if (ok) { n++; }
    });
    shown.textContent = String(n);
    document.querySelectorAll("tbody.group").forEach(function (g) {
      var any = document.querySelector("tbody.check[data-severity=\"" + g.dataset.severity + "\"]:not(.hidden)");
      g.classList.toggle("hidden", !any);
    });
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  document.querySelectorAll("button[data-open]").forEach(function (b) {
    b.addEventListener("click", function () {
      var open = b.dataset.open === "true";
      document.querySelectorAll("tbody.check:not(.hidden) details").forEach(function (d) { d.open = open; });
    });
  });
  document.querySelectorAll("[data-select-verdict]").forEach(function (el) {
    el.addEventListener("click", function () {
      var s = document.querySelector("select[data-filter=verdict]");
      s.value = el.dataset.selectVerdict;
      apply();
      document.getElementById("checks").scrollIntoView();
    });
  });
  apply();
})();

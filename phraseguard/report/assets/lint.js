/* phraseguard script review: filter the findings by rule and severity.
 * Only toggles the `hidden` property of findings and files already on the page.
 */
(function () {
  "use strict";

  var rule = document.getElementById("f-rule");
  var sev = document.getElementById("f-sev");
  var count = document.getElementById("f-count");
  var findings = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var files = Array.prototype.slice.call(document.querySelectorAll(".file"));

  function apply() {
    var shown = 0;
    findings.forEach(function (f) {
      var ok = (!rule.value || f.getAttribute("data-rule") === rule.value) &&
        (!sev.value || f.getAttribute("data-severity") === sev.value);
      f.hidden = !ok;
      if (ok) shown += 1;
    });
    files.forEach(function (file) {
      file.hidden = !file.querySelector(".finding:not([hidden])");
    });
    count.textContent = shown === findings.length ? findings.length + " findings"
      : shown + " of " + findings.length + " findings";
  }

  rule.addEventListener("change", apply);
  sev.addEventListener("change", apply);
  apply();
  document.documentElement.setAttribute("data-ready", "1");
})();

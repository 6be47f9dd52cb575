// The eligibility form works without this script (it asks the page itself, and the answer is rendered
// there). The script only leaves the unanswered fields out of the URL, so a shared link reads
// "/?region=wallonia&contract=employment#result", not a list of empty parameters.
(function () {
  "use strict";
  var form = document.getElementById("eligibility-form");
  if (!form) return;
  form.addEventListener("submit", function () {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.value === "") field.disabled = true;
    });
  });
  // Coming back to the page (history), the fields must be usable again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
  });
})();

// The CSV import can take a few seconds for hundreds of rows: say so while it runs.
(function () {
  "use strict";
  document.querySelectorAll("form[data-import-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("[data-busy-label]");
      var progress = form.querySelector(".import-progress");
      if (button) {
        button.disabled = true;
        button.textContent = button.getAttribute("data-busy-label");
      }
      if (progress) progress.hidden = false;
    });
  });
})();

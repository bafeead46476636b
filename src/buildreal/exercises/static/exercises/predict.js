// "Predict, then run": move keyboard focus to the answer a learner just revealed, so a
// screen reader reads it and Tab continues from there (HTMX swap or plain form post).
// Ctrl+Enter (or Cmd+Enter) in the prediction box reveals, like a chat box sends.
(function () {
  "use strict";

  function focusRevealed() {
    var answer = document.querySelector("[data-just-revealed]");
    if (answer) {
      answer.removeAttribute("data-just-revealed");
      answer.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", focusRevealed);
  document.addEventListener("htmx:afterSettle", focusRevealed);
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) &&
        box.matches && box.matches(".predict-form textarea")) {
      event.preventDefault();
      box.form.requestSubmit();
    }
  });
})();

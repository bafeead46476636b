/* buildreal's own script: no inline JS anywhere (the CSP forbids it).
 * - typesets math with KaTeX's auto-render on load and in every HTMX swap;
 * - moves focus to a quiz answer's result after its swap (keyboard and screen readers),
 *   and back to the question's first input when the form returns ("Answer again");
 * - runs the countdown of a timed attempt and reloads when time is up (the server then
 *   submits the attempt with the saved answers);
 * - asks for confirmation on buttons carrying data-confirm. */
(function () {
  "use strict";

  function typeset(root) {
    if (typeof window.renderMathInElement !== "function") return;
    window.renderMathInElement(root, {
      delimiters: [
        { left: "\\[", right: "\\]", display: true },
        { left: "\\(", right: "\\)", display: false },
      ],
      throwOnError: false,
    });
  }

  function startTimers(root) {
    root.querySelectorAll(".timer[data-deadline]").forEach(function (el) {
      var deadline = Date.parse(el.dataset.deadline);
      if (isNaN(deadline) || el.dataset.running) return;
      el.dataset.running = "1";
      function tick() {
        var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
        var m = Math.floor(left / 60), s = left % 60;
        el.textContent = "Time left: " + m + ":" + (s < 10 ? "0" : "") + s;
        if (left <= 60) el.classList.add("timer-low");
        if (left === 0) { window.location.assign(el.dataset.expiredUrl); return; }
        window.setTimeout(tick, 1000);
      }
      tick();
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });

  var loaded = false;
  document.addEventListener("DOMContentLoaded", function () {
    typeset(document.body);
    startTimers(document);
    loaded = true;
  });

  document.addEventListener("htmx:load", function (event) {
    if (!loaded) return;
    var elt = event.detail.elt;
    typeset(elt);
    if (!elt.querySelector) return;
    var result = elt.querySelector(".result");
    if (result) { result.focus(); return; }
    // "Answer again" or a refused answer brings the form back: keep the keyboard there
    // (the button that had focus is gone).
    if (elt.matches("section.question")) {
      var input = elt.querySelector("input:not([type=hidden]):not([disabled])");
      if (input) input.focus();
    }
  });
})();

/* Colour theme, loaded in <head> before the page paints (so a dark page never flashes
 * light): the learner's choice from localStorage, else the system's prefers-color-scheme,
 * set as <html data-theme="light|dark">. The header's toggle stores the opposite of the
 * theme in use (its aria-pressed says whether dark is on); with nothing stored, a change of the system setting is followed live. */
(function () {
  "use strict";
  var KEY = "buildreal-theme";
  var root = document.documentElement;
  var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function stored() {
    try { var v = window.localStorage.getItem(KEY); return v === "dark" || v === "light" ? v : null; }
    catch (e) { return null; }  // storage blocked: follow the system
  }
  function resolved() { return stored() || (system && system.matches ? "dark" : "light"); }
  function apply() {
    var theme = resolved();
    root.setAttribute("data-theme", theme);
    var button = document.getElementById("theme-toggle");
    if (button) {
      button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
      button.hidden = false;
    }
  }
  apply();
  if (system && system.addEventListener) system.addEventListener("change", function () {
    if (!stored()) apply();
  });
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("theme-toggle");
    if (!button) return;
    apply();
    button.addEventListener("click", function () {
      try { window.localStorage.setItem(KEY, resolved() === "dark" ? "light" : "dark"); }
      catch (e) { /* storage blocked: the choice lasts for this page only */
        root.setAttribute("data-theme", resolved() === "dark" ? "light" : "dark"); return; }
      apply();
    });
  });
})();

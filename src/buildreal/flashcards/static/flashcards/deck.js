// Flashcards from the keyboard: Space or Enter turns the card, 1-4 rate it.
// The card's back lives in a <details>, so a click (or Space/Enter on its summary)
// works without this script; the script adds the page-wide keys and announcements.
(function () {
  "use strict";

  function deck() { return document.querySelector("[data-deck]"); }

  function announce(text) {
    var region = document.getElementById("card-announce");
    if (region) { region.textContent = text; }
  }

  function typing(target) {
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    var session = deck();
    if (!session || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    var turn = session.querySelector("[data-card-turn]");
    var tag = event.target.tagName;
    if ((event.key === " " || event.key === "Enter") && turn && !turn.open) {
      if (tag === "SUMMARY" || ((tag === "A" || tag === "BUTTON") && !session.contains(event.target))) {
        return; // the summary turns itself; a link or button elsewhere keeps its meaning
      }
      event.preventDefault();
      turn.open = true;
      return;
    }
    if (/^[1-4]$/.test(event.key)) {
      var open = !turn || turn.open;
      var button = session.querySelector('[data-key="' + event.key + '"]');
      if (open && button) {
        event.preventDefault();
        button.click();
      }
    }
  });

  // A click anywhere on the front turns the card too (the summary is the keyboard's way).
  document.addEventListener("click", function (event) {
    var front = event.target.closest ? event.target.closest(".card-front") : null;
    if (!front || event.target.closest("a")) { return; }
    var turn = front.parentNode.querySelector("[data-card-turn]");
    if (turn && !turn.open) { turn.open = true; }
  });

  document.addEventListener("toggle", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-card-turn]") && target.open) {
      var back = target.querySelector(".card-back");
      var rate = target.querySelector("[data-key]") ? " Rate it: 1 Again, 2 Hard, 3 Good, 4 Easy." : "";
      announce("Back of the card: " + (back ? back.textContent.trim() : "") + rate);
    }
  }, true);

  document.addEventListener("htmx:afterSwap", function () {
    var session = deck();
    if (!session) { return; }
    var next = session.querySelector("summary") || session.querySelector(".deck-done");
    if (next) { next.focus(); }
  });
})();

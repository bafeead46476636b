// The brief editor: a live word count and required-sections checklist as the learner
// types (the server saves through HTMX and sends back the same numbers).
(function () {
  "use strict";
  var WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
  var HEADING = /^ {0,3}#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm;

  function norm(text) {
    return text.trim().replace(/[:.]+$/, "").toLowerCase().split(/\s+/).join(" ");
  }

  function update(textarea) {
    var text = textarea.value;
    var count = document.getElementById("word-count");
    if (count) {
      var n = (text.match(WORD) || []).length;
      count.textContent = n + (n === 1 ? " word" : " words");
    }
    var list = document.getElementById("sections-checklist");
    if (!list) { return; }
    var present = {};
    var match;
    HEADING.lastIndex = 0;
    while ((match = HEADING.exec(text)) !== null) { present[norm(match[1])] = true; }
    list.querySelectorAll("li[data-section]").forEach(function (item) {
      var found = !!present[norm(item.getAttribute("data-section"))];
      item.classList.toggle("found", found);
      var label = item.querySelector(".visually-hidden");
      if (label) { label.textContent = found ? "present: " : "missing: "; }
    });
  }

  document.addEventListener("input", function (event) {
    if (event.target.id === "brief-text") { update(event.target); }
  });
  // A save refused before the view (e.g. a NUL character) answers 4xx with plain text:
  // show it where the "Saved" line goes, so the learner knows the draft was not kept.
  document.addEventListener("htmx:responseError", function (event) {
    if (!event.detail.elt || event.detail.elt.id !== "brief-text") { return; }
    var status = document.getElementById("save-status");
    if (!status) { return; }
    var alert = status.querySelector(".error") || document.createElement("span");
    alert.className = "error";
    alert.setAttribute("role", "alert");
    alert.textContent = "Not saved: " + (event.detail.xhr.responseText || "the server refused it.");
    status.appendChild(alert);
  });

  document.addEventListener("htmx:afterSwap", function () {
    var textarea = document.getElementById("brief-text");
    if (textarea) { update(textarea); }
  });
})();

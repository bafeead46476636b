/* Reading aids for long pages (no inline JS: the CSP forbids it).
 * - the table of contents (<details class="toc">) starts open on wide screens, where CSS
 *   keeps it in view beside the text, and folded on phones;
 * - every code block gets a "Copy" button that copies its text to the clipboard. */
(function () {
  "use strict";

  var WIDE = "(min-width: 72rem)";

  function openTocOnWideScreens() {
    var toc = document.querySelector("details.toc[data-open-wide]");
    if (toc && window.matchMedia(WIDE).matches) toc.open = true;
  }

  function copyText(text, button) {
    function done(label) {
      button.textContent = label;
      window.setTimeout(function () { button.textContent = "Copy"; }, 1500);
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(
        function () { done("Copied"); },
        function () { done("Copy failed"); });
    } else {
      done("Copy failed");
    }
  }

  function addCopyButtons(root) {
    root.querySelectorAll(".highlight > pre").forEach(function (pre) {
      var box = pre.parentElement;
      if (box.querySelector(":scope > .copy-code")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-code";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy this code");
      button.addEventListener("click", function () { copyText(pre.innerText, button); });
      box.insertBefore(button, pre);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    openTocOnWideScreens();
    addCopyButtons(document);
  });
  document.addEventListener("htmx:load", function (event) {
    if (event.detail && event.detail.elt && event.detail.elt.querySelectorAll) {
      addCopyButtons(event.detail.elt);
    }
  });
})();

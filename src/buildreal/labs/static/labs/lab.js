// The lab chat: after each exchange is appended, keep the newest message in view and put
// the cursor back in the (fresh) reply box. Everything else is plain HTMX; without
// JavaScript the form posts and the page reloads at the end of the conversation.
document.addEventListener("htmx:afterSettle", function (event) {
  if (!document.getElementById("chat-log")) return;
  var end = document.getElementById("chat-end");
  if (end) end.scrollIntoView({block: "end"});
  var box = document.getElementById("lab-message");
  if (box && event.detail && event.detail.requestConfig && event.detail.requestConfig.verb === "post") {
    box.focus();
  }
});

// The lab chat. Plain HTMX does the turns: after each exchange is appended, keep the
// newest message in view and put the cursor back in the fresh reply box. Where the site
// has an LLM behind the partner, the form carries data-stream-url and the reply is shown
// word by word as it arrives (newline-delimited JSON), then replaced by the saved
// exchange. Without JavaScript the form simply posts and the page reloads.
(function () {
  function settle() {
    var end = document.getElementById("chat-end");
    if (end) end.scrollIntoView({block: "end"});
    var box = document.getElementById("lab-message");
    if (box) box.focus();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var config = event.detail && event.detail.requestConfig;
    if (document.getElementById("chat-log") && config && config.verb === "post") settle();
  });

  function bubble(role, who) {
    var item = document.createElement("li");
    item.className = "turn turn-" + role;
    var name = document.createElement("span");
    name.className = "who";
    name.textContent = who;
    var says = document.createElement("div");
    says.className = "says";
    item.appendChild(name);
    item.appendChild(says);
    return item;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var url = form.getAttribute && form.getAttribute("data-stream-url");
    if (!url || !window.fetch || !window.TextDecoder || !window.htmx) return;
    event.preventDefault();
    event.stopPropagation(); // HTMX would post it too
    var log = document.getElementById("chat-log");
    var box = form.querySelector("textarea");
    var mine = bubble("learner", "You");
    mine.querySelector(".says").textContent = box.value;
    var theirs = bubble("partner", "Partner");
    var said = theirs.querySelector(".says");
    var body = new FormData(form);
    form.querySelector("button").disabled = true;
    var started = false;

    fetch(url, {method: "POST", body: body, credentials: "same-origin"}).then(function (response) {
      if (!response.ok || !response.body) throw new Error("refused");
      started = true;
      log.appendChild(mine);
      log.appendChild(theirs);
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      function pump() {
        return reader.read().then(function (part) {
          if (part.done) throw new Error("the reply stopped early");
          buffer += decoder.decode(part.value, {stream: true});
          var lines = buffer.split("\n");
          buffer = lines.pop();
          for (var i = 0; i < lines.length; i++) {
            if (!lines[i]) continue;
            var message = JSON.parse(lines[i]);
            if (message.error) throw new Error(message.error);
            if (message.done) {
              mine.remove();
              theirs.remove();
              htmx.swap(log, message.html, {swapStyle: "beforeend"});
              settle();
              return null;
            }
            said.textContent = message.replace ? message.text : said.textContent + message.text;
            settle();
          }
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      if (started) { window.location.reload(); return; } // the turn may be saved already
      form.submit(); // let the server say what was wrong with the message
    });
  }, true);
})();

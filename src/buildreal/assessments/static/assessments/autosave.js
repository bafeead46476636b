/* Autosave for test and exam attempts.
 *
 * Each change queues only the question it touched; the queue is posted to the save URL
 * (the form's action), one request at a time. An answer leaves the queue only when the
 * server has acknowledged that exact value, so nothing typed is dropped by a failed
 * save. A failure (network error, aborted request, 5xx) shows "Not saved, retrying…" in
 * a live region and retries with exponential backoff (1 s, 2 s, 4 s … at most 30 s).
 * While anything is unsent, leaving the page asks for confirmation.
 * Without JavaScript the form still works: "Save answers" and "Submit attempt" post it.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.attempt-form[data-autosave]");
  if (!form) return;
  var status = document.getElementById("save-status");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var pending = {}; // field name -> array of values not yet acknowledged
  var inFlight = false, delay = 0, timer = null, leaving = false;
  var typing = {};

  function say(text, failed) {
    status.textContent = text;
    status.classList.toggle("save-failed", !!failed);
  }

  function valuesOf(field) {
    var values = [];
    form.querySelectorAll("[name='" + field + "']").forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) values.push(input.value);
      } else {
        values.push(input.value);
      }
    });
    return values;
  }

  function same(a, b) {
    return a.length === b.length && a.every(function (v, i) { return v === b[i]; });
  }

  function unsent() { return Object.keys(pending).length > 0; }

  function queue(field) {
    pending[field] = valuesOf(field);
    if (!inFlight && !timer) send();
  }

  function retryLater() {
    delay = delay ? Math.min(delay * 2, 30000) : 1000;
    say("Not saved, retrying\u2026", true);
    timer = window.setTimeout(function () { timer = null; send(); }, delay);
  }

  function send() {
    if (inFlight || !unsent()) return;
    var sending = {};
    var body = new URLSearchParams();
    Object.keys(pending).forEach(function (field) {
      sending[field] = pending[field].slice();
      body.append("shown", field);
      sending[field].forEach(function (value) { body.append(field, value); });
    });
    inFlight = true;
    say("Saving\u2026", false);
    fetch(form.dataset.autosave, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": token, "HX-Request": "true",
                 "HX-Current-URL": window.location.href },
    }).then(function (response) {
      var redirect = response.headers.get("HX-Redirect");
      if (redirect) { leaving = true; window.location.assign(redirect); return null; }
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    }).then(function (html) {
      inFlight = false;
      if (html === null) return;
      Object.keys(sending).forEach(function (field) {
        // Acknowledged only if the learner has not changed it again meanwhile.
        if (pending[field] && same(pending[field], sending[field])) delete pending[field];
      });
      var counter = document.getElementById("answered-counter");
      if (counter && html.indexOf('id="answered-counter"') !== -1) counter.outerHTML = html;
      delay = 0;
      if (unsent()) { send(); } else { say("All answers saved.", false); }
    }).catch(function () {
      inFlight = false;
      retryLater();
    });
  }

  form.addEventListener("change", function (event) {
    var name = event.target.name;
    if (name && name.indexOf("q-") === 0) queue(name);
  });
  // A typed number is saved after a pause too, not only when the box loses focus.
  form.addEventListener("input", function (event) {
    var input = event.target;
    if (input.type !== "text" || !input.name || input.name.indexOf("q-") !== 0) return;
    window.clearTimeout(typing[input.name]);
    typing[input.name] = window.setTimeout(function () { queue(input.name); }, 700);
  });
  form.addEventListener("submit", function () { leaving = true; });
  window.addEventListener("beforeunload", function (event) {
    if (leaving || !unsent()) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers need a value to show the prompt
  });
  window.addEventListener("online", function () {
    if (timer) { window.clearTimeout(timer); timer = null; delay = 0; send(); }
  });
})();

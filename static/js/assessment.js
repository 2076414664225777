// Autosave for the self-assessment form. The form works without this file: "Save draft"
// does the same save. Saves are debounced, carry the form's version, and stop (saying why)
// if the answers were changed somewhere else, so nothing is overwritten silently.
(function () {
  "use strict";

  var form = document.querySelector("[data-assessment-form]");
  var config = document.getElementById("assessment-autosave");
  if (!form || !config || !window.fetch) return;
  var url = JSON.parse(config.textContent).url;
  var status = form.querySelector("[data-autosave-status]");
  var version = form.querySelector("input[name='version']");
  var csrf = form.querySelector("input[name='csrfmiddlewaretoken']");
  var timer = null;
  var inFlight = null;
  var dirty = false;
  var stopped = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  function save() {
    timer = null;
    if (stopped || !dirty) return Promise.resolve();
    if (inFlight) return inFlight.then(save);
    dirty = false;
    var body = new FormData(form);
    body.set("action", "save");
    say("Saving…");
    inFlight = fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf.value, Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (response.ok) {
            version.value = data.version;
            var at = new Date(data.saved_at);
            say("Saved " + at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
          } else if (response.status === 409) {
            stopped = true;
            say(data.error + " Use “Save draft” to see both versions; nothing you typed here is lost.");
          } else {
            dirty = true;
            say(data.error || "Not saved yet. Use “Save draft” to save.");
          }
        });
      })
      .catch(function () {
        dirty = true;
        say("Offline? Not saved yet. Your answers are still here; try “Save draft”.");
      })
      .finally(function () {
        inFlight = null;
      });
    return inFlight;
  }

  function changed() {
    dirty = true;
    if (stopped) return;
    say("Unsaved changes");
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") changed();
  });

  // A save still on its way would make the form's version stale: wait for it, then send.
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    dirty = false;
    if (!inFlight) return;
    event.preventDefault();
    var submitter = event.submitter;
    inFlight.then(function () {
      form.requestSubmit(submitter);
    });
  });
})();

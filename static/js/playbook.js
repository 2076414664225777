// Autosave for a playbook section. The form works without this file: "Save" does the same
// save. Saves are debounced and carry the version the text started from; if the section was
// saved somewhere else meanwhile (a 409), autosave stops and shows both texts, so the person
// chooses or merges, and nothing is overwritten silently.
(function () {
  "use strict";

  var form = document.querySelector("[data-playbook-editor]");
  var config = document.getElementById("playbook-autosave");
  if (!form || !config || !window.fetch) return;
  var url = JSON.parse(config.textContent).url;
  var text = form.querySelector("textarea[name='body']");
  var version = form.querySelector("input[name='version']");
  var csrf = form.querySelector("input[name='csrfmiddlewaretoken']");
  var state = form.querySelector("[data-autosave-status]");
  var conflict = form.querySelector("[data-conflict]");
  var conflictSaved = form.querySelector("[data-conflict-saved]");
  var timer = null;
  var retryTimer = null;
  var inFlight = null;
  var dirty = false;
  var stopped = false;
  var retryDelay = 2000;

  function say(message) {
    state.textContent = message;
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  function retry(message) {
    dirty = true;
    say(message || "Not saved, retrying");
    clearTimeout(retryTimer);
    retryTimer = setTimeout(save, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function showConflict(data) {
    stopped = true;
    conflictSaved.value = data.body;
    conflict.dataset.version = data.version;
    conflict.hidden = false;
    say("Not saved: changed somewhere else");
  }

  function save() {
    timer = null;
    if (stopped || !dirty) return Promise.resolve();
    if (inFlight) return inFlight.then(save);
    dirty = false;
    var body = new FormData(form);
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
            retryDelay = 2000;
            if (!dirty) say("Saved " + data.saved_label);
          } else if (response.status === 409) {
            showConflict(data);
          } else if (response.status >= 500) {
            retry();
          } else {
            dirty = true;
            say(data.error || "Not saved. Use “Save” to try again.");
          }
        });
      })
      .catch(function () {
        retry("Not saved, retrying (offline?)");
      })
      .finally(function () {
        inFlight = null;
      });
    return inFlight;
  }

  text.addEventListener("input", function () {
    dirty = true;
    if (stopped) return;
    say("Unsaved changes");
    schedule(1500);
  });

  // Typing can start before this script has loaded; what was typed then is saved too.
  if (text.value !== text.defaultValue) {
    dirty = true;
    say("Unsaved changes");
    schedule(1500);
  }

  form.querySelector("[data-conflict-keep]").addEventListener("click", function () {
    // Save the editor's text over the newer version, on purpose.
    version.value = conflict.dataset.version;
    conflict.hidden = true;
    stopped = false;
    dirty = true;
    save();
  });

  form.querySelector("[data-conflict-take]").addEventListener("click", function () {
    text.value = conflictSaved.value;
    version.value = conflict.dataset.version;
    conflict.hidden = true;
    stopped = false;
    dirty = false;
    say("Showing the saved text");
  });

  // A save still on its way would make the form's version stale: wait for it, then send.
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    dirty = false;
    if (!inFlight) return;
    event.preventDefault();
    inFlight.then(function () {
      form.submit();
    });
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty && !stopped) {
      save();
      event.preventDefault();
    }
  });
})();

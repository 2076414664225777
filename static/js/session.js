// Autosave for a mentor's session log. The form works without this file: "Save draft" does
// the same save. Each save carries the version the form started from; if the log was saved
// somewhere else meanwhile (a 409), autosave stops and says so, and only "Keep mine"
// saves over it. Nothing is overwritten silently.
(function () {
  "use strict";

  var form = document.querySelector("[data-session-form]");
  var config = document.getElementById("session-autosave");
  if (!form || !config || !window.fetch) return;
  var url = JSON.parse(config.textContent).url;
  var version = form.querySelector("input[name='version']");
  var csrf = form.querySelector("input[name='csrfmiddlewaretoken']");
  var state = form.querySelector("[data-autosave-status]");
  var conflict = form.querySelector("[data-conflict]");
  var timer = null;
  var inFlight = null;
  var dirty = false;
  var stopped = false;
  var retryDelay = 2000;

  function say(message) {
    if (state) state.textContent = message;
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  function save() {
    timer = null;
    if (stopped || !dirty) return Promise.resolve();
    if (inFlight) return inFlight.then(save);
    dirty = false;
    say("Saving…");
    inFlight = fetch(url, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf.value, Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (response.ok) {
            version.value = data.version;
            Object.keys(data.actions || {}).forEach(function (name) {
              var input = form.querySelector("input[name='" + name + "']");
              if (input) input.value = data.actions[name];
            });
            retryDelay = 2000;
            if (!dirty) say("Draft saved " + data.saved_label);
          } else if (response.status === 409) {
            stopped = true;
            conflict.dataset.version = data.version;
            conflict.hidden = false;
            say("Not saved: changed somewhere else");
          } else if (response.status >= 500) {
            dirty = true;
            say("Not saved, retrying");
            schedule(retryDelay);
            retryDelay = Math.min(retryDelay * 2, 30000);
          } else {
            dirty = true;
            say(data.error || "Not saved. Use “Save draft” to try again.");
          }
        });
      })
      .catch(function () {
        dirty = true;
        say("Not saved, retrying (offline?)");
        schedule(retryDelay);
        retryDelay = Math.min(retryDelay * 2, 30000);
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
    schedule(1500);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  conflict.querySelector("[data-conflict-keep]").addEventListener("click", function () {
    version.value = conflict.dataset.version;
    conflict.hidden = true;
    stopped = false;
    dirty = true;
    save();
  });

  // A save still on its way would make the form's version stale: wait for it, then send
  // the form with the button that was pressed.
  form.addEventListener("submit", function (event) {
    clearTimeout(timer);
    dirty = false;
    if (!inFlight) return;
    event.preventDefault();
    var button = event.submitter;
    inFlight.then(function () {
      if (button && button.name) {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = button.name;
        hidden.value = button.value;
        form.appendChild(hidden);
      }
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

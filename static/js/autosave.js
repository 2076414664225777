// Autosave for any form with a data-autosave-url. The form works without this file: its
// own submit button does the same save. Saves are debounced and carry the version the form
// was edited from; if the record was saved somewhere else meanwhile (a 409), autosave stops
// and says so, and nothing is overwritten silently.
//
// On the <form>:
//   data-autosave-url            Where each save is POSTed (the form's fields, as FormData).
//                                It answers JSON:
//                                  2xx  {version, saved_label: "10:42"} or {version, saved_at}
//                                  409  {error, version?, <field name>?}  saved elsewhere
//                                  4xx  {error}  not saved, and why
//                                5xx answers and network failures are retried after 2, 4, 8…
//                                up to 30 seconds.
//   data-autosave-delay          Milliseconds of quiet after a change before saving (1500).
//   data-autosave-version-field  Name of the field holding the version ("version"); each
//                                save's answer updates it.
//   data-autosave-saved-text     Said before the time of a save ("Saved", as in "Saved 10:42").
//   data-autosave-fill           Key of an object {field name: value} in a save's answer whose
//                                values are written into those fields: how new rows learn the
//                                ids the server gave them, so the next save updates them.
//
// Inside the form:
//   [data-autosave-status]       A role="status" line saying where things stand; its
//                                data-autosave-state (dirty, saving, saved, error, conflict) is
//                                for the stylesheet.
//   [data-autosave-manual]       The submit button that saves by hand; messages name it.
//   [data-autosave-conflict]     Hidden until a save is refused as stale. Without one, the
//                                status line gives the server's reason. Inside it, all optional:
//     [data-autosave-conflict-error]   gets the server's reason.
//     [data-autosave-conflict-keep]    button: save this form over the newer version, on purpose.
//     [data-autosave-conflict-saved="body"]  read-only field that gets the saved value of the
//                                      form's field "body" from the 409 answer;
//     [data-autosave-conflict-take]    button: put that saved value into the form's field.
(function () {
  "use strict";

  if (!window.fetch || !window.FormData) return;

  var FIRST_RETRY = 2000;
  var LAST_RETRY = 30000;
  // Text fields report "input" on every keystroke and "change" again on leaving the field; a
  // second save of the same text would only add a version, so they are heard once.
  var CHOICES = ["checkbox", "radio", "file", "select-one", "select-multiple"];

  function autosave(form) {
    var url = form.dataset.autosaveUrl;
    var delay = parseInt(form.dataset.autosaveDelay, 10) || 1500;
    var version = form.elements.namedItem(form.dataset.autosaveVersionField || "version");
    var savedText = form.dataset.autosaveSavedText || "Saved";
    var fillKey = form.dataset.autosaveFill;
    var csrf = form.elements.namedItem("csrfmiddlewaretoken");
    var status = form.querySelector("[data-autosave-status]");
    var manual = form.querySelector("[data-autosave-manual]");
    var manualLabel = manual ? manual.textContent.trim() : "";
    var conflict = form.querySelector("[data-autosave-conflict]");
    var conflictPart = function (name) {
      return conflict && conflict.querySelector("[data-autosave-conflict-" + name + "]");
    };
    var conflictReason = conflictPart("error");
    var conflictSaved = conflictPart("saved");
    var keep = conflictPart("keep");
    var take = conflictPart("take");
    var timer = null;
    var inFlight = null;
    var dirty = false;
    var stopped = false;
    var retryDelay = FIRST_RETRY;

    function show(state, message) {
      if (!status) return;
      status.textContent = message;
      status.dataset.autosaveState = state;
    }

    function schedule(wait) {
      clearTimeout(timer);
      timer = setTimeout(save, wait);
    }

    function save() {
      clearTimeout(timer);
      timer = null;
      if (stopped || !dirty) return Promise.resolve();
      if (inFlight) return inFlight.then(save);
      dirty = false;
      show("saving", "Saving…");
      var headers = { Accept: "application/json" };
      if (csrf) headers["X-CSRFToken"] = csrf.value;
      inFlight = fetch(url, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: headers,
      })
        .then(function (response) {
          return readJson(response).then(function (data) {
            answered(response, data);
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

    // A sign-in page after a redirect, or a proxy's error page, is not an answer to the save.
    function readJson(response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.redirected || type.indexOf("json") === -1) return Promise.resolve(null);
      return response.json().catch(function () {
        return null;
      });
    }

    function answered(response, data) {
      if (response.status >= 500) {
        retry("Not saved, retrying");
      } else if (!data) {
        failed(null);
      } else if (response.ok) {
        saved(data);
      } else if (response.status === 409) {
        conflicted(data);
      } else {
        failed(data.error);
      }
    }

    function saved(data) {
      if (version && data.version !== undefined) version.value = data.version;
      fill(fillKey ? data[fillKey] : null);
      retryDelay = FIRST_RETRY;
      if (!dirty) show("saved", (savedText + " " + timeOf(data)).trim());
      // For the page around the form: what the save changed (a playbook section's status).
      form.dispatchEvent(new CustomEvent("autosave:saved", { bubbles: true, detail: data }));
    }

    function fill(values) {
      Object.keys(values || {}).forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field) field.value = values[name];
      });
    }

    function timeOf(data) {
      if (data.saved_label) return data.saved_label;
      if (!data.saved_at) return "";
      var at = new Date(data.saved_at);
      var locale = document.documentElement.lang || [];
      return at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
    }

    function retry(message) {
      dirty = true;
      show("error", message);
      schedule(retryDelay);
      retryDelay = Math.min(retryDelay * 2, LAST_RETRY);
    }

    function failed(error) {
      dirty = true;
      var advice = manualLabel ? " Use “" + manualLabel + "” to try again." : "";
      show("error", error || "Not saved." + advice);
    }

    function conflicted(data) {
      stopped = true;
      clearTimeout(timer);
      if (!conflict) {
        show("conflict", data.error || "Not saved: changed somewhere else");
        return;
      }
      if (data.version !== undefined) conflict.dataset.version = data.version;
      if (conflictReason && data.error) conflictReason.textContent = data.error;
      if (conflictSaved) {
        conflictSaved.value = data[conflictSaved.dataset.autosaveConflictSaved] || "";
      }
      conflict.hidden = false;
      show("conflict", "Not saved: changed somewhere else");
    }

    function resolveConflict() {
      if (version && conflict.dataset.version) version.value = conflict.dataset.version;
      conflict.hidden = true;
      stopped = false;
    }

    function changed(event) {
      var field = event.target;
      if (!field.name || field.form !== form || field.readOnly) return;
      dirty = true;
      if (stopped) return;
      show("dirty", "Unsaved changes");
      schedule(delay);
    }

    function differsFromPage(field) {
      if (!field.name || field.type === "hidden") return false;
      if (field.type === "checkbox" || field.type === "radio") {
        return field.checked !== field.defaultChecked;
      }
      if (field.options) {
        return Array.prototype.some.call(field.options, function (option, index) {
          return option.selected !== isSelectedByDefault(field, index);
        });
      }
      return "defaultValue" in field && field.value !== field.defaultValue;
    }

    // A single-choice list with no option marked selected starts on its first option.
    function isSelectedByDefault(select, index) {
      var options = select.options;
      if (select.multiple) return options[index].defaultSelected;
      var chosen = -1;
      for (var i = 0; i < options.length; i++) if (options[i].defaultSelected) chosen = i;
      if (chosen === -1 && select.size <= 1) chosen = 0;
      return index === chosen;
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", function (event) {
      if (CHOICES.indexOf(event.target.type) !== -1) changed(event);
    });

    // Typing can start before this script has loaded; what was typed then is saved too.
    if (Array.prototype.some.call(form.elements, differsFromPage)) {
      dirty = true;
      show("dirty", "Unsaved changes");
      schedule(delay);
    }

    if (keep) {
      keep.addEventListener("click", function () {
        resolveConflict();
        dirty = true;
        save();
      });
    }

    if (take && conflictSaved) {
      take.addEventListener("click", function () {
        var field = form.elements.namedItem(conflictSaved.dataset.autosaveConflictSaved);
        field.value = conflictSaved.value;
        resolveConflict();
        dirty = false;
        show("saved", "Showing the saved text");
        field.focus();
      });
    }

    // A save still on its way would make the form's version stale: wait for it, then send
    // the form with the button that was pressed.
    form.addEventListener("submit", function (event) {
      clearTimeout(timer);
      dirty = false;
      if (!inFlight) return;
      event.preventDefault();
      var button = event.submitter;
      inFlight.then(function () {
        submitWith(form, button);
      });
    });

    window.addEventListener("beforeunload", function (event) {
      if (dirty && !stopped) {
        save();
        event.preventDefault();
      }
    });
  }

  function submitWith(form, button) {
    if (form.requestSubmit) {
      form.requestSubmit(button && button.form === form ? button : undefined);
      return;
    }
    if (button && button.name) {
      var pressed = document.createElement("input");
      pressed.type = "hidden";
      pressed.name = button.name;
      pressed.value = button.value;
      form.appendChild(pressed);
    }
    form.submit();
  }

  document.querySelectorAll("form[data-autosave-url]").forEach(autosave);
})();

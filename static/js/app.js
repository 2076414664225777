// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // On a narrow screen a programme's tabs are one row that scrolls sideways: bring the
  // current tab into view, and fade the edge on each side that has more.
  function placeTabs() {
    document.querySelectorAll("nav.tabs").forEach(function (tabs) {
      var current = tabs.querySelector('a[aria-current="page"]');
      if (current && tabs.scrollWidth > tabs.clientWidth) {
        tabs.scrollLeft = current.offsetLeft - (tabs.clientWidth - current.offsetWidth) / 2;
      }
      var edges = function () {
        tabs.classList.toggle("more-left", tabs.scrollLeft > 2);
        tabs.classList.toggle("more-right", tabs.scrollLeft + tabs.clientWidth < tabs.scrollWidth - 2);
      };
      edges();
      tabs.addEventListener("scroll", edges, { passive: true });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", placeTabs);
  } else {
    placeTabs();
  }

  // A playbook section's status badge follows its autosaves (a first save makes a section
  // that was not started a draft).
  var statusClasses = { Drafting: "status--warn", "Ready for review": "status--info", Complete: "status--ok" };
  document.addEventListener("autosave:saved", function (event) {
    var badge = document.querySelector("[data-section-status] .status");
    var label = event.detail && event.detail.status;
    if (!badge || !label || badge.textContent === label) return;
    badge.textContent = label;
    badge.className = "status" + (statusClasses[label] ? " " + statusClasses[label] : "");
  });

  // Close the account menu when clicking elsewhere or pressing Escape.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.user-menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      menu.querySelector("summary").focus();
    });
  });

  // htmx (loaded on every page) answers some buttons with just the part of the page that
  // changed. The forms work without it; these listeners keep the enhanced ones honest.

  // htmx keeps focus on an element whose id comes back; when the button pressed is gone (a
  // proposal answered, a place that can no longer be booked), focus what took its place.
  var focusHome = null;

  // A whole page in an htmx answer means it was not for a fragment (a session that ran out
  // sends the sign-in page): show it as a page, as the plain form would have.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (detail.xhr.status < 400 && /<html[\s>]/i.test(detail.serverResponse)) {
      detail.shouldSwap = false;
      window.location.assign(detail.xhr.responseURL || window.location.href);
      return;
    }
    // Remember whether focus was in what is about to be replaced (see htmx:afterSwap).
    var target = detail.target;
    focusHome = target && target.id && target.contains(document.activeElement) ? target.id : null;
  });

  document.addEventListener("htmx:afterSwap", function () {
    var home = focusHome && document.getElementById(focusHome);
    focusHome = null;
    if (!home || (document.activeElement && document.activeElement !== document.body)) return;
    var spot = home.querySelector("[data-htmx-focus]") || home;
    if (!spot.hasAttribute("tabindex")) spot.setAttribute("tabindex", "-1");
    spot.focus({ preventScroll: true });
  });

  // While a request runs: the form is busy (htmx adds .htmx-request), and so is the button.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var config = event.detail.requestConfig || {};
    var submitter = config.triggeringEvent && config.triggeringEvent.submitter;
    event.detail.elt.setAttribute("aria-busy", "true");
    if (submitter) submitter.classList.add("is-busy");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    elt.removeAttribute("aria-busy");
    elt.querySelectorAll(".is-busy").forEach(function (button) {
      button.classList.remove("is-busy");
    });
  });

  // htmx swaps nothing for an error; say so beside the button instead of doing nothing.
  function tell(elt, sentence) {
    var region = document.getElementById(elt.getAttribute("data-live-status") || "");
    if (!region) return;
    var message = document.createElement("p");
    message.className = "message message--error";
    message.textContent = sentence;
    region.replaceChildren(message);
  }
  document.addEventListener("htmx:responseError", function (event) {
    tell(event.detail.elt, "That didn't work (error " + event.detail.xhr.status + "). " +
      "Reload the page to see where things stand.");
  });
  document.addEventListener("htmx:sendError", function (event) {
    tell(event.detail.elt, "Not sent: check your connection and try again.");
  });

  // A form that is saved only by its button (what it holds is seen by someone else once
  // saved, so it is not autosaved): leaving with changes made asks first, as the browser
  // asks, instead of dropping them. Mark the <form> with data-warn-unsaved.
  var changed = new Set();
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-warn-unsaved")) changed.add(form);
  });
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-warn-unsaved")) changed.add(form);
  });
  document.addEventListener("submit", function (event) {
    changed.delete(event.target);
  });
  window.addEventListener("beforeunload", function (event) {
    if (changed.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

/*
 * Autosave for the post editor (blog/admin_workflow.py).
 *
 * Progressive enhancement: without this script the form works as before.
 * With it, the post's text fields are posted to the draft (never to the live
 * post) about 2.5 seconds after typing stops, and again when the tab is
 * hidden or closed, so a closed tab loses at most a few seconds of typing.
 */
(function () {
  "use strict";

  var status = document.getElementById("autosave-status");
  var form = status && status.closest("form");
  if (!form || !window.fetch || !window.FormData) return;

  var FIELDS = ["title", "description", "body", "meta_description", "canonical_url"];
  var DELAY = 2500;
  // Browsers refuse keepalive requests and beacons above 64 kB in total.
  var KEEPALIVE_LIMIT = 60000;

  if (status.dataset.enabled !== "1") {
    status.textContent = "Autosave is paused until you open or discard the draft above.";
    return;
  }

  var timer = null;
  var submitting = false;
  var inFlight = false;
  var lastSaved = snapshot();

  function fields() {
    return FIELDS.map(function (name) { return form.elements[name]; })
      .filter(function (field) { return field && "value" in field; });
  }

  function snapshot() {
    return JSON.stringify(fields().map(function (field) { return field.value; }));
  }

  function payload() {
    var data = new FormData();
    fields().forEach(function (field) { data.append(field.name, field.value); });
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    return data;
  }

  function show(text, isError) {
    status.textContent = text;
    status.classList.toggle("is-error", Boolean(isError));
  }

  function savedAt(iso) {
    var time = new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    return "Saved a draft at " + time;
  }

  function save(leaving) {
    clearTimeout(timer);
    var current = snapshot();
    if (submitting || current === lastSaved) return;
    var small = new Blob([current]).size < KEEPALIVE_LIMIT;
    // The page is going away: a beacon is finished by the browser after it closes.
    if (leaving && small && navigator.sendBeacon && navigator.sendBeacon(status.dataset.url, payload())) {
      lastSaved = current;
      return;
    }
    if (inFlight) { timer = setTimeout(save, DELAY); return; }
    inFlight = true;
    show("Saving a draft…");
    fetch(status.dataset.url, {
      method: "POST",
      body: payload(),
      credentials: "same-origin",
      keepalive: Boolean(leaving) && small,
      headers: { "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) throw new Error(body.error || "the server said " + response.status);
          lastSaved = current;
          show(savedAt(body.saved_at));
        });
      })
      .catch(function (error) {
        show("Autosave failed (" + error.message + "). Your text is still here; save the form.", true);
      })
      .finally(function () { inFlight = false; });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(save, DELAY);
  }

  fields().forEach(function (field) { field.addEventListener("input", schedule); });
  // Saving the form replaces the draft; an autosave racing it would bring it back.
  form.addEventListener("submit", function () { submitting = true; clearTimeout(timer); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save(true);
  });
  window.addEventListener("pagehide", function () { save(true); });
})();

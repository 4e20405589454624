/*
 * Autosave for the post editor (blog/admin/workflow.py).
 *
 * Progressive enhancement: without this script the form works as before.
 * With it, the whole form as it would be submitted (text, tags, FAQ and keep-reading
 * rows, publishing settings; not the image file) is posted to the draft (never to
 * the live post) about 2.5 seconds after a change stops, and again when the tab is
 * hidden or closed, so a closed tab loses at most a few seconds of typing. Reopened,
 * the form offers the draft back ("Restore autosaved text", blog/admin/workflow.py),
 * on any machine.
 */
(function () {
  "use strict";

  var status = document.getElementById("autosave-status");
  var form = status && status.closest("form");
  if (!form || !window.fetch || !window.FormData) return;

  // Never sent: the token goes once, the file cannot go in a draft, and the draft
  // form's signed field is not autosave's business.
  var SKIP = /^(csrfmiddlewaretoken|featured_image|_draft_form)$/;
  var DELAY = 2500;
  // Browsers refuse keepalive requests and beacons above 64 kB in total.
  var KEEPALIVE_LIMIT = 60000;

  if (status.dataset.enabled !== "1") {
    status.textContent = "Autosave is paused until you open or discard the draft above.";
    return;
  }

  status.textContent = "Autosave is on";
  offerLocalCopy();
  var timer = null;
  var submitting = false;
  var inFlight = false;
  var lastSaved = snapshot();

  function fields() {
    var kept = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && !SKIP.test(name)) kept.push([name, value]);
    });
    return kept;
  }

  function snapshot() {
    return JSON.stringify(fields());
  }

  function payload() {
    var data = new FormData();
    fields().forEach(function (pair) { data.append(pair[0], pair[1]); });
    data.append("_whole_form", "1");
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    return data;
  }

  function show(text, isError) {
    status.textContent = text;
    status.classList.toggle("is-error", Boolean(isError));
  }

  function savedAt(iso) {
    var time = new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
    return "Saved a draft at " + time;
  }

  function save(leaving) {
    clearTimeout(timer);
    var current = snapshot();
    if (submitting || current === lastSaved) return;
    // A long post does not fit a beacon: then an ordinary request is sent as the tab is
    // hidden (before it closes, and usually finished), and the delay above keeps what
    // is lost to the last 2.5 seconds of typing.
    var small = new Blob([current]).size < KEEPALIVE_LIMIT;
    if (leaving && !small) keepLocally();
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
          forgetLocally();
          show(savedAt(body.saved_at));
        });
      })
      .catch(function (error) {
        show("Autosave failed (" + error.message + "). Your text is still here; save the form.", true);
      })
      .finally(function () { inFlight = false; });
  }

  // Too long for the browser to send as the tab closes, the form is kept in this browser
  // instead, and offered back on reopening when it is newer than what the server holds.
  function localKey() { return "authorsite:post-autosave:" + status.dataset.url; }

  function keepLocally() {
    var formCopy = window.blogEditor && window.blogEditor.formCopy;
    if (!formCopy || !window.localStorage) return;
    try { localStorage.setItem(localKey(), JSON.stringify(formCopy.copy(form))); } catch (error) { /* full */ }
  }

  function forgetLocally() {
    try { window.localStorage && localStorage.removeItem(localKey()); } catch (error) { /* refused */ }
  }

  function offerLocalCopy() {
    var formCopy = window.blogEditor && window.blogEditor.formCopy;
    var kept = null;
    try { kept = window.localStorage && JSON.parse(localStorage.getItem(localKey()) || "null"); } catch (error) { kept = null; }
    if (!formCopy || !kept || !kept.fields) return;
    var server = [status.dataset.savedAt, status.dataset.updatedAt]
      .filter(Boolean).map(function (iso) { return new Date(iso).getTime(); });
    var newest = Math.max.apply(null, server.concat([0]));
    if (new Date(kept.at).getTime() <= newest) { forgetLocally(); return; }  // the server's is newer
    formCopy.offer(form, kept, {
      className: "local-post-copy",
      text: "This browser kept changes from " + new Date(kept.at).toLocaleString() +
        " that did not reach the server (the post was too long to send as the tab closed); " +
        "the server's newest copy is from " + new Date(newest).toLocaleString() + ". They hold " +
        formCopy.describe(kept) + ". Restore them over the form below?",
      restoreLabel: "Restore them",
      discardLabel: "Discard them",
      discard: forgetLocally,
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(save, DELAY);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // The tag and link pickers (select2) tell jQuery only; adding or removing an inline row
  // is an event of Django's own.
  if (window.django && window.django.jQuery) window.django.jQuery(form).on("change", schedule);
  document.addEventListener("formset:added", schedule);
  document.addEventListener("formset:removed", schedule);
  // Saving the form replaces the draft; an autosave racing it would bring it back.
  form.addEventListener("submit", function () { submitting = true; clearTimeout(timer); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save(true);
  });
  window.addEventListener("pagehide", function () { save(true); });
})();

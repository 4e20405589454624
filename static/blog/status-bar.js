/*
 * The post form's status bar (blog/admin/statusbar.py): the primary button follows the
 * form as typed. Without this script the buttons still submit; the server decides.
 *
 * - "Publish" reads "Schedule" while the publication date typed is in the future;
 * - "Save draft" reads "Save and continue" while the status chosen is published;
 * - the bar's height is kept as the page's scroll padding, so a field the keyboard
 *   moves to is never hidden under it.
 */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  var bar = document.getElementById("status-bar");
  var form = bar && bar.closest("form");
  if (!form) return;
  var publish = document.getElementById("status-bar-publish");
  var save = document.getElementById("status-bar-save");
  // The server's clock in its own time zone, as the date fields are typed: no time zone sums.
  var serverNow = publish && parse(publish.dataset.now.slice(0, 10), publish.dataset.now.slice(11));
  var loadedAt = Date.now();

  function parse(date, time) {
    var d = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(date || "");
    var t = /^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(time || "") || [null, 0, 0, 0];
    if (!d) return null;
    return Date.UTC(+d[1], +d[2] - 1, +d[3], +t[1], +t[2], +(t[3] || 0));
  }

  function value(name) {
    var field = form.elements[name];
    return field && "value" in field ? field.value : "";
  }

  function follow() {
    if (publish && serverNow !== null) {
      var typed = parse(value("published_at_0"), value("published_at_1"));
      var future = typed !== null && typed > serverNow + (Date.now() - loadedAt);
      var label = future ? "Schedule" : "Publish";
      if (publish.textContent !== label) publish.textContent = label;
    }
    if (save && form.elements.status) {
      var label2 = value("status") === "published" ? "Save and continue" : "Save draft";
      if (save.textContent !== label2) save.textContent = label2;
    }
  }

  function measure() {
    document.documentElement.style.setProperty("--status-bar-height", bar.offsetHeight + 16 + "px");
  }

  form.addEventListener("input", follow);
  form.addEventListener("change", follow);
  // The admin's calendar and clock pickers set the value without an input event.
  form.addEventListener("click", function () { setTimeout(follow, 0); });
  follow();
  measure();
  if (window.ResizeObserver) new ResizeObserver(measure).observe(bar);
});

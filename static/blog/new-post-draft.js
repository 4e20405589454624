/*
 * A new post's form, kept in this browser from the first keystroke until it is saved.
 *
 * A post has no row to autosave into before its first save (static/blog/autosave.js
 * takes over after that), so what is typed into the add form is kept in the browser's
 * local storage, every field the form submits (text, choices, tags, FAQ and keep-reading
 * rows), a moment after each change. Opening the add form again offers it back. A save
 * that reaches the server forgets it; a save that comes back with an error keeps it.
 */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  if (!window.localStorage) return;
  // One copy per model's admin, whichever of its pages this is (list, add, change).
  var base = window.location.pathname.match(/^(.*?\/)(?:add\/|\d+\/change\/)?$/)[1];
  var KEY = "authorsite:new-post:" + base;
  var adding = /\/add\/$/.test(window.location.pathname);
  if (!adding) {
    // The post was saved (its own form or the list says "was added"): forget the copy.
    var added = [].some.call(document.querySelectorAll(".messagelist .success"), function (item) {
      return /was added successfully/.test(item.textContent);
    });
    if (added) localStorage.removeItem(KEY);
    return;
  }
  var form = document.querySelector("#content-main form");
  if (!form) return;
  var SKIP = /^(csrfmiddlewaretoken|_save|_continue|_addanother|featured_image)$/;
  var timer = null;

  function fields() {
    var kept = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && !SKIP.test(name)) kept.push([name, value]);
    });
    return kept;
  }

  var opened = null;  // the form as it opened: nothing to keep until it differs

  function store() {
    var kept = fields();
    if (opened === null || JSON.stringify(kept) === opened) return;
    try {
      localStorage.setItem(KEY, JSON.stringify({ at: new Date().toISOString(), fields: kept }));
    } catch (error) { /* storage full or refused: the form still works */ }
  }

  function addRows(prefix, wanted) {
    var total = form.elements[prefix + "-TOTAL_FORMS"];
    var adder = document.querySelector("#" + prefix + "-group .add-row a");
    while (total && adder && Number(total.value) < wanted) {
      var before = Number(total.value);
      adder.click();
      if (Number(total.value) === before) break;
    }
  }

  function restore(saved) {
    var rows = {};
    saved.fields.forEach(function (pair) {
      var match = pair[0].match(/^(.+)-TOTAL_FORMS$/);
      if (match) rows[match[1]] = Number(pair[1]);
    });
    Object.keys(rows).forEach(function (prefix) { addRows(prefix, rows[prefix]); });
    var chosen = {};
    saved.fields.forEach(function (pair) {
      var field = form.elements[pair[0]];
      if (!field) return;
      if (field instanceof RadioNodeList || (field.tagName === "SELECT" && field.multiple)) {
        (chosen[pair[0]] = chosen[pair[0]] || []).push(pair[1]);
      } else if (field.type === "checkbox") {
        field.checked = true;
      } else if (!/-(TOTAL|INITIAL)_FORMS$/.test(pair[0])) {
        field.value = pair[1];
      }
    });
    Object.keys(chosen).forEach(function (name) {
      var field = form.elements[name];
      if (field.tagName === "SELECT") {
        var values = chosen[name];
        var options = field.options;
        // Tags are chosen from a search box: the saved ones may not be among its options yet.
        values.forEach(function (value) {
          if (![].some.call(options, function (o) { return o.value === value; })) {
            field.add(new Option(value, value, true, true));
          }
        });
        [].forEach.call(field.options, function (option) { option.selected = values.indexOf(option.value) !== -1; });
        field.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    form.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function offer(saved) {
    var notice = document.createElement("div");
    notice.className = "draft-notice new-post-draft";
    notice.setAttribute("role", "status");
    var when = new Date(saved.at).toLocaleString();
    var text = document.createElement("p");
    text.textContent = "This browser kept a new post you were writing (" + when + "), not saved yet.";
    var bring = document.createElement("button");
    bring.type = "button";
    bring.className = "button";
    bring.textContent = "Restore it";
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "button";
    drop.textContent = "Discard it";
    bring.addEventListener("click", function () { restore(saved); notice.remove(); });
    drop.addEventListener("click", function () { localStorage.removeItem(KEY); notice.remove(); });
    notice.append(text, bring, " ", drop);
    form.prepend(notice);
  }

  opened = JSON.stringify(fields());
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (error) { saved = null; }
  // Shown again with errors, the form already holds what was typed: keep storing it.
  var hasErrors = Boolean(document.querySelector(".errornote"));
  if (saved && saved.fields && !hasErrors) offer(saved);

  function soon() { clearTimeout(timer); timer = setTimeout(store, 500); }
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  window.django && window.django.jQuery && window.django.jQuery(form).on("change", soon);
  window.addEventListener("pagehide", store);
  // Leaving by saving: the next page is the post's own form (or the list), so the copy
  // here is forgotten when that page loads (see the change form's template).
  form.addEventListener("submit", function () { clearTimeout(timer); store(); });
});

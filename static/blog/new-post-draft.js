/*
 * A new post's form, kept in this browser from the first keystroke until it is saved.
 *
 * A post has no row to autosave into before its first save (static/blog/autosave.js
 * takes over after that), so what is typed into the add form is kept in the browser's
 * local storage, every field the form submits (text, choices, tags with their names,
 * FAQ and keep-reading rows), a moment after each change. Opening the add form again
 * says what it holds and offers it back. A save that reaches the server forgets it; a
 * save that comes back with an error keeps it.
 *
 * The copying itself is window.blogEditor.formCopy, which autosave.js also uses for a
 * saved post too long for the browser to send as the tab closes.
 */
(function () {
  "use strict";

  // Never kept: the token, the file, the submit buttons, and the empty row templates.
  var SKIP = /^(csrfmiddlewaretoken|_save|_continue|_addanother|_publish|_save_draft|featured_image|_draft_form)$|__prefix__/;

  function fields(form) {
    var kept = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && !SKIP.test(name)) kept.push([name, value]);
    });
    return kept;
  }

  // The shown text of each chosen option of the search boxes (tags, author, keep-reading
  // targets): restored, they must show names, not ids, and their options may not exist yet.
  function labels(form) {
    var shown = {};
    [].forEach.call(form.querySelectorAll("select"), function (select) {
      [].forEach.call(select.selectedOptions, function (option) {
        if (option.value) (shown[select.name] = shown[select.name] || {})[option.value] = option.text;
      });
    });
    return shown;
  }

  // What a kept copy holds, in words, so the author knows what Restore brings back.
  function describe(saved) {
    var title = "", tags = 0, rows = { faq_items: 0, keep_reading_links: 0 };
    saved.fields.forEach(function (pair) {
      if (pair[0] === "title") title = pair[1];
      if (pair[0] === "tags") tags += 1;
      var row = pair[0].match(/^(faq_items|keep_reading_links)-\d+-(question|target)$/);
      if (row && pair[1]) rows[row[1]] += 1;
    });
    var parts = [title ? "“" + title + "”" : "an untitled post"];
    if (tags) parts.push(tags + (tags === 1 ? " tag" : " tags"));
    if (rows.faq_items) parts.push(rows.faq_items + (rows.faq_items === 1 ? " FAQ item" : " FAQ items"));
    if (rows.keep_reading_links) {
      parts.push(rows.keep_reading_links + " keep-reading link" + (rows.keep_reading_links === 1 ? "" : "s"));
    }
    return parts.join(", ");
  }

  function addRows(form, prefix, wanted) {
    var total = form.elements[prefix + "-TOTAL_FORMS"];
    var adder = document.querySelector("#" + prefix + "-group .add-row a");
    while (total && adder && Number(total.value) < wanted) {
      var before = Number(total.value);
      adder.click();
      if (Number(total.value) === before) break;
    }
  }

  function restore(form, saved) {
    var rows = {};
    var shown = saved.labels || {};
    saved.fields.forEach(function (pair) {
      var match = pair[0].match(/^(.+)-TOTAL_FORMS$/);
      if (match) rows[match[1]] = Number(pair[1]);
    });
    // Rows are added with the admin's own "Add another", then filled by field name.
    Object.keys(rows).forEach(function (prefix) { addRows(form, prefix, rows[prefix]); });
    var chosen = {};
    var names = {};
    saved.fields.forEach(function (pair) {
      names[pair[0]] = true;
      var field = form.elements[pair[0]];
      if (!field) return;
      if (field instanceof RadioNodeList || field.tagName === "SELECT") {
        (chosen[pair[0]] = chosen[pair[0]] || []).push(pair[1]);
      } else if (field.type === "checkbox") {
        field.checked = true;
      } else if (!/-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/.test(pair[0])) {
        field.value = pair[1];
      }
    });
    // A box ticked by default but unticked when the copy was kept (a checkbox sends nothing).
    [].forEach.call(form.querySelectorAll("input[type=checkbox]"), function (box) {
      if (box.name && !names[box.name]) box.checked = false;
    });
    Object.keys(chosen).forEach(function (name) {
      var field = form.elements[name];
      if (field instanceof RadioNodeList) {
        field.value = chosen[name][0];
        return;
      }
      var values = chosen[name];
      // Search boxes hold only their chosen options: add the kept ones, with their names.
      values.forEach(function (value) {
        if (![].some.call(field.options, function (o) { return o.value === value; })) {
          var label = (shown[name] && shown[name][value]) || value;
          field.add(new Option(label, value, true, true));
        }
      });
      [].forEach.call(field.options, function (option) { option.selected = values.indexOf(option.value) !== -1; });
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
    form.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // A copy of a form: {at, fields, labels}, what restore() puts back.
  function copy(form) {
    return { at: new Date().toISOString(), fields: fields(form), labels: labels(form) };
  }

  // A notice above the form offering a kept copy back: its first button restores the copy
  // into the form, the second forgets it (``discard``); either way the notice goes.
  function offer(form, kept, options) {
    var notice = document.createElement("div");
    notice.className = "draft-notice " + options.className;
    notice.setAttribute("role", "status");
    var text = document.createElement("p");
    text.textContent = options.text;
    notice.append(text);
    var actions = [
      [options.restoreLabel, function () { restore(form, kept); }],
      [options.discardLabel, options.discard],
    ];
    actions.forEach(function (action, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = action[0];
      button.addEventListener("click", function () { action[1](); notice.remove(); });
      if (index) notice.append(" ");
      notice.append(button);
    });
    form.prepend(notice);
  }

  window.blogEditor = Object.assign(window.blogEditor || {}, {
    formCopy: { fields: fields, copy: copy, restore: restore, describe: describe, offer: offer },
  });
})();

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
  var formCopy = window.blogEditor.formCopy;
  var timer = null;

  var opened = null;  // the form as it opened: nothing to keep until it differs

  var status = document.getElementById("autosave-status");
  if (status) status.textContent = "Kept in this browser as you type, until the first save.";

  function store() {
    var kept = formCopy.fields(form);
    if (opened === null || JSON.stringify(kept) === opened) return;
    var at = new Date();
    try {
      localStorage.setItem(KEY, JSON.stringify({ at: at.toISOString(), fields: kept, labels: formCopy.copy(form).labels }));
      if (status) {
        status.textContent = "Kept in this browser at " +
          at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }) +
          " (not saved yet)";
      }
    } catch (error) { /* storage full or refused: the form still works */ }
  }

  function offer(saved) {
    formCopy.offer(form, saved, {
      className: "new-post-draft",
      text: "This browser kept a new post you were writing (" + new Date(saved.at).toLocaleString() +
        "), not saved yet: " + formCopy.describe(saved) + ". Restore it into this empty form?",
      restoreLabel: "Restore it",
      discardLabel: "Discard it",
      discard: function () { localStorage.removeItem(KEY); },
    });
  }

  opened = JSON.stringify(formCopy.fields(form));
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (error) { saved = null; }
  // Shown again with errors, the form already holds what was typed: keep storing it.
  var hasErrors = Boolean(document.querySelector(".errornote"));
  if (saved && saved.fields && !hasErrors) offer(saved);

  function soon() { clearTimeout(timer); timer = setTimeout(store, 500); }
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  window.django && window.django.jQuery && window.django.jQuery(form).on("change", soon);
  document.addEventListener("formset:added", soon);
  document.addEventListener("formset:removed", soon);
  window.addEventListener("pagehide", store);
  // Leaving by saving: the next page is the post's own form (or the list), so the copy
  // here is forgotten when that page loads (see the change form's template).
  form.addEventListener("submit", function () { clearTimeout(timer); store(); });
});

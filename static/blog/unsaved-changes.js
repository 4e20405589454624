// Leaving the post form with changes not saved asks first (the browser's own dialog).
// "Changed" is the whole form as it would be submitted, tags, FAQ and links included,
// compared with how it was when the page had loaded; saving the form is not leaving.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("#content-main form");
  if (!form) return;
  const state = () => {
    const fields = new FormData(form);
    fields.delete("csrfmiddlewaretoken");
    return JSON.stringify([...fields].map(([name, value]) => [name, value instanceof File ? value.name : value]));
  };
  let opened = null;
  let submitting = false;
  // After the admin's own scripts (inlines, autocompletes) have set the form up.
  const remember = () => { opened = state(); };
  if (document.readyState === "complete") remember();
  else window.addEventListener("load", remember);
  form.addEventListener("submit", () => { submitting = true; });
  window.addEventListener("beforeunload", (event) => {
    if (submitting || opened === null || state() === opened) return;
    event.preventDefault();
    event.returnValue = "";  // older browsers need it set to show the dialog
  });
});

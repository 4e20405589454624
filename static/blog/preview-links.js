// Preview-link buttons on the post form. They cannot be a form of their own (forms do not
// nest), so each click posts a small form built here, with the page's CSRF token.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll(".preview-link-url")) {
    input.value = new URL(input.dataset.path, window.location.origin).href;
  }
});
document.addEventListener("click", (event) => {
  const copy = event.target.closest(".preview-link-copy");
  if (copy) {
    const input = copy.parentElement.querySelector(".preview-link-url");
    input.select();
    navigator.clipboard?.writeText(input.value).then(() => { copy.textContent = "Copied"; });
    return;
  }
  const button = event.target.closest("[data-preview-action]");
  if (!button) return;
  const form = document.createElement("form");
  form.method = "post";
  form.action = button.dataset.previewAction;
  const fields = { csrfmiddlewaretoken: document.querySelector("[name=csrfmiddlewaretoken]").value };
  for (const field of document.querySelectorAll("[data-preview-field]")) {
    fields[field.dataset.previewField] = field.value;
  }
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
});

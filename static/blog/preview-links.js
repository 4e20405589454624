// Preview-link buttons on the post form. They cannot be a form of their own (forms do not
// nest), so each click posts the panel's fields with the page's CSRF token, in the
// background: the page is not reloaded, so nothing typed in the post form is lost. The
// panel is then replaced by the one on the page the view answers with, and that page's
// message ("Preview link created: …") is shown beside it.
"use strict";
(() => {
  function fillAddresses(root) {
    for (const input of root.querySelectorAll(".preview-link-url")) {
      input.value = new URL(input.dataset.path, window.location.origin).href;
    }
  }

  function announce(panel, text, isError) {
    const status = document.createElement("p");
    status.className = isError ? "preview-links-status errornote" : "preview-links-status";
    status.setAttribute("role", "status");
    status.textContent = text;
    panel.prepend(status);
  }

  async function post(button) {
    const panel = document.getElementById("preview-links");
    const data = new FormData();
    data.append("csrfmiddlewaretoken", document.querySelector("[name=csrfmiddlewaretoken]").value);
    for (const field of panel.querySelectorAll("[data-preview-field]")) {
      data.append(field.dataset.previewField, field.value);
    }
    button.disabled = true;
    try {
      const response = await fetch(button.dataset.previewAction, {
        method: "POST",
        body: data,
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`the server said ${response.status}`);
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("preview-links");
      if (!fresh) throw new Error("the answer had no preview links");
      fillAddresses(fresh);
      panel.replaceWith(fresh);
      const message = page.querySelector(".messagelist li");
      if (message) announce(fresh, message.textContent.trim(), message.classList.contains("error"));
    } catch (error) {
      button.disabled = false;
      announce(panel, `Could not change the preview links (${error.message}). Your edits are still here.`, true);
    }
  }

  document.addEventListener("DOMContentLoaded", () => fillAddresses(document));
  document.addEventListener("click", (event) => {
    const copy = event.target.closest(".preview-link-copy");
    if (copy) {
      const input = copy.parentElement.querySelector(".preview-link-url");
      input.select();
      navigator.clipboard?.writeText(input.value).then(() => { copy.textContent = "Copied"; });
      return;
    }
    const button = event.target.closest("[data-preview-action]");
    if (button) post(button);
  });
})();

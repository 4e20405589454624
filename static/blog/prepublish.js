// Keeps the "Before you publish" panel current: a second after the author stops typing,
// the form as it stands goes to the staff-only checks endpoint and the list is redrawn.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const panel = document.getElementById("prepublish-checks");
  const form = panel?.closest("form");
  if (!form) return;
  const postId = (window.location.pathname.match(/\/(\d+)\/change\/$/) || [])[1] || "";
  let timer;

  function hasFeaturedImage() {
    const input = form.querySelector("[name=featured_image]");
    const clear = form.querySelector("[name=featured_image-clear]");
    const current = input?.closest(".form-row, .fieldBox, div")?.querySelector(".file-upload a");
    return Boolean(input?.files.length || (current && !clear?.checked));
  }

  function draw(checks) {
    panel.replaceChildren();
    if (!checks.length) {
      const ok = document.createElement("p");
      ok.className = "prepublish-ok";
      ok.textContent = "✔ Ready to publish: nothing to fix.";
      panel.append(ok);
      return;
    }
    const list = document.createElement("ul");
    list.className = "prepublish-list";
    for (const check of checks) {
      const item = document.createElement("li");
      item.className = `prepublish-${check.level}`;
      const label = document.createElement("strong");
      label.textContent = check.level === "error" ? "✖ Blocks publishing" : "⚠ Warning";
      const go = document.createElement("button");
      go.type = "button";
      go.className = "prepublish-go";
      go.dataset.field = check.field;
      if (check.line) go.dataset.line = check.line;
      go.textContent = check.where;
      item.append(label, " · ", go, `: ${check.message}`);
      list.append(item);
    }
    panel.append(list);
  }

  async function refresh() {
    const data = new FormData();
    for (const name of ["csrfmiddlewaretoken", "title", "slug", "body", "description",
                        "meta_description", "featured_image_alt"]) {
      data.append(name, form.elements[name]?.value ?? "");
    }
    for (const option of form.querySelectorAll("[name=tags] option:checked")) {
      data.append("tags", option.value);
    }
    data.append("has_featured_image", hasFeaturedImage() ? "1" : "0");
    // A file chosen now replaces the stored one, which is then not checked for.
    data.append("featured_image_new", form.elements.featured_image?.files?.length ? "1" : "0");
    data.append("post", postId);
    const response = await fetch(panel.dataset.url, { method: "POST", body: data });
    if (response.ok) draw((await response.json()).checks);
  }

  // An item names its place: clicking it takes the author there, for the body to the
  // start of its line, scrolled into view.
  function goTo(field, line) {
    const target = form.elements[field];
    if (!target) return;
    if (field === "tags") {
      target.closest(".form-row")?.querySelector(".select2-search__field, select")?.focus();
      return;
    }
    target.focus();
    if (line && target.tagName === "TEXTAREA") {
      const lines = target.value.split("\n");
      const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
      target.setSelectionRange(start, start + (lines[line - 1] || "").length);
      const lineHeight = parseFloat(getComputedStyle(target).lineHeight) || 20;
      target.scrollTop = Math.max(0, (line - 3) * lineHeight);
    }
    target.scrollIntoView({ block: "center" });
  }
  // For the other parts of the panel (link-check.js): the same way to a place.
  window.blogEditor = Object.assign(window.blogEditor || {}, { goTo });
  panel.addEventListener("click", (event) => {
    const go = event.target.closest(".prepublish-go");
    if (go) goTo(go.dataset.field, Number(go.dataset.line) || null);
  });

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 1000);
  }
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  // The tags widget (select2) announces changes through jQuery only.
  window.django?.jQuery?.(form).on("change", soon);
});

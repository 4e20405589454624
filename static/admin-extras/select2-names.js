// Names for the admin's search boxes (Django's autocomplete widgets, drawn by select2).
//
// select2 names its box by the chosen value alone, so an empty one has no name and a
// full one is read as "Alex Navarro" without saying which field it is; the tags box's
// search field has no label at all; and its mouse-only "clear" cross sits straight
// inside a list, where screen readers expect list items. Each box is named after its
// field's label (in a tabular inline, its column's heading), and the cross is hidden
// from screen readers (Backspace clears from the keyboard). Boxes added later, such as
// a new inline row's, are named as they appear.
"use strict";
(() => {
  function heading(select) {
    const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
    if (label) return label;
    const cell = select.closest("td");
    return cell?.closest("table")?.querySelectorAll("thead th")[cell.cellIndex] || null;
  }

  function withId(element, id) {
    if (!element.id) element.id = id;
    return element.id;
  }

  function name(select) {
    const box = select.nextElementSibling;
    if (!box?.classList.contains("select2")) return;
    const title = heading(select);
    const text = (title?.textContent || select.name).replace(/[:*]\s*$/, "").trim();
    const selection = box.querySelector(".select2-selection");
    if (selection && title && !selection.dataset.named) {
      const shown = selection.getAttribute("aria-labelledby");
      const own = withId(title, `${select.id || select.name}-heading`);
      selection.setAttribute("aria-labelledby", shown ? `${own} ${shown}` : own);
      selection.dataset.named = "1";
    }
    for (const field of box.querySelectorAll(".select2-search__field")) {
      field.setAttribute("aria-label", `Search: ${text}`);
    }
    for (const cross of box.querySelectorAll(".select2-selection__clear")) {
      cross.setAttribute("aria-hidden", "true");
    }
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(name);
  }

  let pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; nameAll(); });
  }

  document.addEventListener("DOMContentLoaded", () => {
    nameAll();
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  });
})();

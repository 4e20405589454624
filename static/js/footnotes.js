// Footnotes: a reference shows its note beside it while the reference has focus or the pointer
// is over it (or over the note), and Escape hides it. Without this script, or on a tap, the
// reference is a plain link to the note at the end, whose ↩ link leads back.
(function () {
  "use strict";
  const GAP = 8;
  let shown = null; // {ref, note}
  let hideTimer = 0;

  function hide() {
    clearTimeout(hideTimer);
    if (shown) {
      shown.note.hidden = true;
      shown = null;
    }
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250); // time to move the pointer onto the note
  }

  function show(ref, note) {
    clearTimeout(hideTimer);
    if (shown && shown.note === note) return;
    hide();
    note.hidden = false;
    shown = { ref, note };
    // One read of where things are, then one write: below the reference, or above it when
    // the window has no room below; never past the page's edges.
    const box = ref.getBoundingClientRect();
    const width = note.offsetWidth;
    const height = note.offsetHeight;
    const page = document.documentElement.clientWidth;
    const left = Math.max(GAP, Math.min(box.left - 24, page - width - GAP));
    const below = box.bottom + GAP + height <= window.innerHeight || box.top < height + GAP;
    const top = below ? box.bottom + GAP : box.top - GAP - height;
    note.style.left = `${left + window.scrollX}px`;
    note.style.top = `${top + window.scrollY}px`;
  }

  function popoverFor(ref, index) {
    const target = document.getElementById(decodeURIComponent(ref.hash.slice(1)));
    if (!target) return null;
    const note = document.createElement("div");
    note.className = "footnote-popover";
    note.id = `footnote-popover-${index + 1}`;
    note.setAttribute("role", "tooltip");
    note.hidden = true;
    for (const child of target.childNodes) note.append(child.cloneNode(true));
    for (const back of note.querySelectorAll(".footnote-backref")) back.remove();
    for (const node of note.querySelectorAll("[id]")) node.removeAttribute("id");
    // Inside <main>, so the note is part of the page's content for assistive technology.
    (document.querySelector("main") || document.body).append(note);
    return note;
  }

  function start() {
    const refs = document.querySelectorAll(".e-content a.footnote-ref");
    refs.forEach((ref, index) => {
      const note = popoverFor(ref, index);
      if (!note) return;
      ref.setAttribute("aria-describedby", note.id);
      ref.addEventListener("focus", () => show(ref, note));
      ref.addEventListener("blur", hideSoon);
      ref.addEventListener("mouseenter", () => show(ref, note));
      ref.addEventListener("mouseleave", hideSoon);
      ref.addEventListener("click", hide); // the link still leads to the note
      note.addEventListener("mouseenter", () => clearTimeout(hideTimer));
      note.addEventListener("mouseleave", hideSoon);
    });
    if (refs.length) {
      document.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && shown) hide();
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

// Keyboard use of the Markdown editors in the admin.
//
// - Tab and Shift+Tab move to the next or previous field, as everywhere else in a form:
//   django-markdownx made Tab insert a tab, which trapped keyboard users in the field and
//   turned an indented paragraph into a code block without a word.
// - Ctrl+S (⌘S) saves and keeps editing; Ctrl+B bold, Ctrl+I italic, Ctrl+K a link, each
//   undoable with Ctrl+Z.
"use strict";
(() => {
  const EDITOR = "textarea.markdownx-editor";

  function replaceSelection(textarea, wrap) {
    const { selectionStart: start, selectionEnd: end, value } = textarea;
    const [text, caretFrom, caretTo] = wrap(value.slice(start, end));
    textarea.focus();
    if (!document.execCommand("insertText", false, text)) {
      textarea.setRangeText(text, start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    textarea.setSelectionRange(start + caretFrom, start + caretTo);
  }

  const around = (mark, placeholder) => (selected) => {
    const inner = selected || placeholder;
    return [`${mark}${inner}${mark}`, mark.length, mark.length + inner.length];
  };
  const SHORTCUTS = {
    b: around("**", "bold text"),
    i: around("_", "italic text"),
    k: (selected) => {
      const label = selected || "link text";
      // The address is selected, ready to be typed over.
      return [`[${label}](https://)`, label.length + 3, label.length + 11];
    },
  };

  document.addEventListener("keydown", (event) => {
    const textarea = event.target.closest?.(EDITOR);
    if (!textarea) return;
    if (event.key === "Tab" && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.stopPropagation();  // not to markdownx; the browser moves the focus
      return;
    }
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const key = event.key.toLowerCase();
    if (key === "s") {
      const save = textarea.form?.querySelector("input[name=_continue]");
      if (save) {
        event.preventDefault();
        event.stopPropagation();
        save.click();
      }
    } else if (SHORTCUTS[key]) {
      event.preventDefault();
      event.stopPropagation();
      replaceSelection(textarea, SHORTCUTS[key]);
    }
  }, true);
})();

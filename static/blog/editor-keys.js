// Keyboard use of the Markdown editors in the admin.
//
// - Tab and Shift+Tab move to the next or previous field, as everywhere else in a form:
//   django-markdownx made Tab insert a tab, which trapped keyboard users in the field and
//   turned an indented paragraph into a code block without a word.
// - Ctrl+S (⌘S) saves and keeps editing, from the field or its toolbar.
// - The formatting shortcuts (Ctrl+B bold, Ctrl+I italic, Ctrl+K link, ...; ⌘ on a Mac) run the
//   toolbar's own actions (editor-toolbar.js: blogEditor.actionForKey and format), each
//   undoable with Ctrl+Z.
"use strict";
(() => {
  const EDITOR = "textarea.markdownx-editor";

  document.addEventListener("keydown", (event) => {
    const toolbar = event.target.closest?.(".editor-toolbar");
    const textarea = event.target.closest?.(EDITOR) || toolbar?.editor;
    if (!textarea) return;
    if (event.key === "Tab" && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.stopPropagation();  // not to markdownx; the browser moves the focus
      return;
    }
    if (!(event.ctrlKey || event.metaKey)) return;
    if (event.key.toLowerCase() === "s" && !event.altKey && !event.shiftKey) {
      const save = textarea.form?.querySelector("input[name=_continue]");
      if (save) {
        event.preventDefault();
        event.stopPropagation();
        save.click();
      }
      return;
    }
    const action = window.blogEditor?.actionForKey?.(event);
    if (action) {
      event.preventDefault();
      event.stopPropagation();
      window.blogEditor.format(textarea, action);
    }
  }, true);
})();

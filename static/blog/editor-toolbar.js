// The formatting toolbar of the Markdown editors in the admin, and the one implementation
// of each formatting action (editor-keys.js calls the same ones for the shortcuts).
//
// Every textarea.markdownx-editor gets, just before it, a <div class="editor-toolbar"
// role="toolbar">: headings, bold, italic, link, lists, quote, code, table, image upload,
// FAQ item (where the form has an FAQ inline) and full screen. Without JavaScript the
// field is the plain textarea it was.
//
// - Every edit goes through document.execCommand("insertText"), so Ctrl+Z undoes it and
//   the input event fires (markdownx's preview, autosave and the checks listen to it).
// - The toolbar is one tab stop: arrow keys, Home and End move between its buttons
//   (WAI-ARIA toolbar pattern), Tab goes on to the textarea.
// - Full screen puts the field's .markdownx wrapper (textarea and preview) over the page;
//   Esc, the button again, or tabbing out of it leaves; a save from it comes back to it.
//
// For the other editor scripts (window.blogEditor):
// - format(textarea, name): runs an action ("bold", "h2", "ul", ...), as its button does.
// - actionForKey(event): the name of the action a keydown is the shortcut of, or null.
// - addToolbarButton({name, label, content, run, before}): adds a button to every editor's
//   toolbar, present and future; run(textarea, button) is called on click. Call it from
//   your own script at any time from DOMContentLoaded on. docs/authoring.md lists the keys.
"use strict";
(() => {
  const EDITOR = "textarea.markdownx-editor";
  const MAC = /Mac|iPhone|iPad/.test(navigator.platform || "");
  const SVG = "http://www.w3.org/2000/svg";

  // ---- Editing: one way to change the text, undoably --------------------------------

  function replaceRange(textarea, from, to, text, selectFrom, selectTo) {
    textarea.focus();
    textarea.setSelectionRange(from, to);
    if (!document.execCommand("insertText", false, text)) {
      textarea.setRangeText(text, from, to, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    textarea.setSelectionRange(selectFrom, selectTo);
  }

  // Bold, italic and inline code: around the selection (its spaces stay outside, so a
  // double-clicked "word " does not become "**word **"), or taken off again.
  const around = (mark, placeholder) => (textarea) => {
    const { selectionStart: start, selectionEnd: end, value } = textarea;
    const selected = value.slice(start, end);
    const inner = selected.trim();
    const from = start + (selected.length - selected.trimStart().length);
    const to = from + inner.length;
    const m = mark.length;
    if (inner.length > 2 * m && inner.startsWith(mark) && inner.endsWith(mark)) {
      const bare = inner.slice(m, -m);
      return replaceRange(textarea, from, to, bare, from, from + bare.length);
    }
    if (inner && value.slice(from - m, from) === mark && value.slice(to, to + m) === mark) {
      return replaceRange(textarea, from - m, to + m, inner, from - m, to - m);
    }
    const words = inner || placeholder;
    replaceRange(textarea, from, to, `${mark}${words}${mark}`, from + m, from + m + words.length);
  };

  function link(textarea) {
    const { selectionStart: start, selectionEnd: end, value } = textarea;
    const label = value.slice(start, end) || "link text";
    // The address is selected, ready to be typed over.
    const at = start + label.length + 3;
    replaceRange(textarea, start, end, `[${label}](https://)`, at, at + 8);
  }

  // The whole lines the selection touches: [from, to) without the last line break.
  function selectedLines(textarea) {
    const { selectionStart: start, value } = textarea;
    let end = textarea.selectionEnd;
    if (end > start && value[end - 1] === "\n") end -= 1;
    const from = value.lastIndexOf("\n", start - 1) + 1;
    const next = value.indexOf("\n", end);
    return [from, next === -1 ? value.length : next];
  }

  // Line-level formats toggle on every selected line: on where any line lacks it,
  // off when every line has it. ``has`` is this format's marker, ``replaces`` the markers
  // it takes the place of (a numbered item becomes a bullet, an H3 an H2).
  const LINE_FORMATS = {
    h2: { has: /^## (?!#)/, replaces: /^(\s*)#{1,6}[ \t]+/, prefix: () => "## " },
    h3: { has: /^### (?!#)/, replaces: /^(\s*)#{1,6}[ \t]+/, prefix: () => "### " },
    ul: { has: /^\s*[-*+][ \t]+/, replaces: /^(\s*)(?:[-*+]|\d+[.)])[ \t]+/, prefix: () => "- " },
    ol: { has: /^\s*\d+[.)][ \t]+/, replaces: /^(\s*)(?:[-*+]|\d+[.)])[ \t]+/, prefix: (n) => `${n}. ` },
    // A blank line inside a quote gets its ">" too, or the quote would split in two.
    quote: { has: /^>/, off: /^()> ?/, prefix: () => "> ", blank: ">", keepMarked: true },
  };

  const lineFormat = (name) => (textarea) => {
    const format = LINE_FORMATS[name];
    const { selectionStart: start, selectionEnd: end, value } = textarea;
    const [from, to] = selectedLines(textarea);
    const lines = value.slice(from, to).split("\n");
    const written = lines.filter((line) => line.trim());
    const off = written.length > 0 && written.every((line) => format.has.test(line));
    let number = 0;
    const changed = lines.map((line) => {
      if (!line.trim()) {
        return !off && format.blank && lines.length > 1 ? format.blank : line;
      }
      if (off) {
        const match = line.match(format.off || format.replaces);
        return match ? match[1] + line.slice(match[0].length) : line;
      }
      number += 1;
      if (format.keepMarked && format.has.test(line)) return line;
      const match = format.replaces ? line.match(format.replaces) : null;
      const rest = match ? line.slice(match[0].length) : line.trimStart();
      const indent = match ? match[1] : line.slice(0, line.length - line.trimStart().length);
      return `${indent}${format.prefix(number)}${rest}`;
    });
    const text = changed.join("\n");
    if (text === lines.join("\n")) return;
    if (start === end && lines.length === 1) {
      // A caret stays where it was in the words of its line.
      const caret = Math.max(from, from + text.length - (to - start));
      return replaceRange(textarea, from, to, text, caret, caret);
    }
    replaceRange(textarea, from, to, text, from, from + text.length);
  };

  // Inline code within a line, a fenced block over several lines (or taken off again).
  const inlineCode = around("`", "code");
  function code(textarea) {
    const { selectionStart: start, selectionEnd: end, value } = textarea;
    if (!value.slice(start, end).includes("\n")) return inlineCode(textarea);
    const [from, to] = selectedLines(textarea);
    const block = value.slice(from, to);
    const fenced = block.match(/^(`{3,}|~{3,})[^\n]*\n([\s\S]*)\n\1[ \t]*$/);
    if (fenced) {
      return replaceRange(textarea, from, to, fenced[2], from, from + fenced[2].length);
    }
    const fence = "`".repeat(Math.max(3, ...[...block.matchAll(/^`{3,}/gm)].map((m) => m[0].length + 1)));
    const text = `${fence}\n${block}\n${fence}`;
    replaceRange(textarea, from, to, text, from + fence.length + 1, from + fence.length + 1 + block.length);
  }

  const TABLE = "| Column 1 | Column 2 |\n| --- | --- |\n| Cell | Cell |";
  function table(textarea) {
    // On lines of its own, as images are (editor-images.js owns that rule).
    window.blogEditor.insertOnOwnLines(textarea, TABLE);
    const at = textarea.value.lastIndexOf(TABLE, textarea.selectionEnd);
    if (at !== -1) textarea.setSelectionRange(at + 2, at + 10);  // "Column 1", to type over
  }

  // ---- The actions: buttons and shortcuts ------------------------------------------

  // key: event.key (lower case); code: event.code, for digits and punctuation, which
  // Shift changes. aria-keyshortcuts and the tooltip are written from the same entry.
  const ACTIONS = [
    { name: "h2", label: "Heading H2", text: "H2", run: lineFormat("h2"), keys: { alt: true, code: "Digit2", show: "2" } },
    { name: "h3", label: "Heading H3", text: "H3", run: lineFormat("h3"), keys: { alt: true, code: "Digit3", show: "3" } },
    { name: "bold", label: "Bold", text: "B", run: around("**", "bold text"), keys: { key: "b", show: "B" }, group: true },
    { name: "italic", label: "Italic", text: "I", run: around("_", "italic text"), keys: { key: "i", show: "I" } },
    { name: "link", label: "Link", icon: "link", run: link, keys: { key: "k", show: "K" } },
    { name: "ul", label: "Bulleted list", icon: "ul", run: lineFormat("ul"), keys: { shift: true, code: "Digit8", show: "8" }, group: true },
    { name: "ol", label: "Numbered list", icon: "ol", run: lineFormat("ol"), keys: { shift: true, code: "Digit7", show: "7" } },
    { name: "quote", label: "Quote", icon: "quote", run: lineFormat("quote"), keys: { shift: true, code: "Period", show: "." } },
    { name: "code", label: "Code", hint: "a block over several lines", icon: "code", run: code, keys: { key: "e", show: "E" } },
    { name: "table", label: "Table", icon: "table", run: table, group: true },
    { name: "image", label: "Upload image", icon: "image", run: chooseImages },
    { name: "faq", label: "Add FAQ item", icon: "faq", run: addFaqItem, when: faqGroup },
    { name: "fullscreen", label: "Full screen", hint: "Esc leaves", icon: "expand", run: toggleFullScreen, pressed: true, group: true },
  ];
  const BY_NAME = Object.fromEntries(ACTIONS.map((action) => [action.name, action]));

  function actionForKey(event) {
    // ⌘ on a Mac, where Ctrl+B, Ctrl+E, Ctrl+K move the caret in text fields; Ctrl elsewhere.
    const primary = MAC ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
    if (!primary || event.getModifierState?.("AltGraph")) return null;
    for (const action of ACTIONS) {
      const keys = action.keys;
      if (!keys || !!keys.alt !== event.altKey || !!keys.shift !== event.shiftKey) continue;
      if (keys.code ? event.code === keys.code : event.key.toLowerCase() === keys.key) {
        return action.name;
      }
    }
    return null;
  }

  function format(textarea, name) {
    const action = BY_NAME[name];
    if (!action) throw new Error(`No editor action called ${name}`);
    action.run(textarea);
  }

  function shortcutText(keys) {
    const parts = MAC ? ["⌘"] : ["Ctrl"];
    if (keys.alt) parts.push(MAC ? "⌥" : "Alt");
    if (keys.shift) parts.push(MAC ? "⇧" : "Shift");
    parts.push(keys.show);
    return MAC ? parts.join("") : parts.join("+");
  }

  function ariaShortcut(keys) {
    const key = keys.show;
    const mods = [keys.alt && "Alt", keys.shift && "Shift"].filter(Boolean);
    return [MAC ? "Meta" : "Control", ...mods, key].join("+");
  }

  // ---- Icons (drawn here: no icon font, nothing to load) -----------------------------

  const ICONS = {
    link: ["M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1", "M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"],
    ul: ["M9 6h11M9 12h11M9 18h11", "M4 6h.01M4 12h.01M4 18h.01"],
    ol: ["M10 6h10M10 12h10M10 18h10", "M4 4.5h1.5V9", "M3.5 14.5a1.2 1.2 0 0 1 2.3.5L3.5 19h2.5"],
    quote: ["M5 5v14", "M10 8h10M10 12h10M10 16h6"],
    code: ["M8 7l-5 5 5 5", "M16 7l5 5-5 5", "M13.5 5l-3 14"],
    table: ["M3 5h18v14H3z", "M3 10h18M3 15h18M12 5v14"],
    image: ["M3 5h18v14H3z", "M3 16l5-5 4 4 3-3 6 6", "M15.5 8.5h.01"],
    faq: ["M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.7.3-1 .9-1 1.7v.5", "M12 17h.01", "M4 4h16v13H9l-5 4z"],
    library: ["M7 7h14v12H7z", "M3 3h14v2M3 3v12h2", "M7 16l4-4 3 3 2-2 5 5"],
    expand: ["M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5"],
    collapse: ["M9 4v5H4M20 9h-5V4M15 20v-5h5M4 15h5v5"],
  };

  function icon(name) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    for (const d of ICONS[name]) {
      const path = document.createElementNS(SVG, "path");
      path.setAttribute("d", d);
      svg.append(path);
    }
    return svg;
  }

  // ---- The toolbar ------------------------------------------------------------------

  const extraButtons = [];
  const toolbars = new Set();

  function makeButton(spec, textarea) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `editor-toolbar-button editor-toolbar-${spec.name}`;
    button.dataset.action = spec.name;
    button.tabIndex = -1;
    let tip = spec.hint ? `${spec.label}, ${spec.hint}` : spec.label;
    if (spec.keys) {
      tip += ` (${shortcutText(spec.keys)})`;
      button.setAttribute("aria-keyshortcuts", ariaShortcut(spec.keys));
    }
    button.setAttribute("aria-label", spec.label);
    button.dataset.tooltip = tip;
    if (spec.pressed) button.setAttribute("aria-pressed", "false");
    if (spec.group) button.classList.add("editor-toolbar-group-start");
    const face = document.createElement("span");
    face.setAttribute("aria-hidden", "true");
    face.className = "editor-toolbar-face";
    if (ICONS[spec.icon]) face.append(icon(spec.icon));
    else if (spec.content instanceof Node) face.append(spec.content.cloneNode(true));
    else face.textContent = spec.text || spec.content || spec.label;
    button.append(face);
    button.addEventListener("click", () => spec.run(textarea, button));
    return button;
  }

  function fieldLabel(textarea) {
    const label = textarea.id && document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`);
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "Markdown";
  }

  function buttonsOf(toolbar) {
    return [...toolbar.querySelectorAll("button")].filter((button) => !button.hidden && !button.disabled);
  }

  function rove(toolbar, to) {
    for (const button of buttonsOf(toolbar)) button.tabIndex = button === to ? 0 : -1;
    to.focus();
  }

  function build(textarea) {
    if (textarea.dataset.toolbar) return;
    textarea.dataset.toolbar = "1";
    const toolbar = document.createElement("div");
    toolbar.className = "editor-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", `Format ${fieldLabel(textarea)}`);
    if (textarea.id) toolbar.setAttribute("aria-controls", textarea.id);
    toolbar.editor = textarea;
    for (const action of ACTIONS) {
      if (action.when && !action.when(textarea)) continue;
      toolbar.append(makeButton(action, textarea));
    }
    const status = document.createElement("span");
    status.className = "editor-toolbar-status";
    status.setAttribute("role", "status");
    toolbar.append(status);
    for (const spec of extraButtons) place(toolbar, spec);
    buttonsOf(toolbar)[0].tabIndex = 0;

    toolbar.addEventListener("keydown", (event) => {
      const buttons = buttonsOf(toolbar);
      const at = buttons.indexOf(document.activeElement);
      if (at === -1) return;
      const next = {
        ArrowRight: buttons[(at + 1) % buttons.length],
        ArrowLeft: buttons[(at - 1 + buttons.length) % buttons.length],
        Home: buttons[0],
        End: buttons[buttons.length - 1],
      }[event.key];
      if (event.key === "Escape") toolbar.classList.add("editor-toolbar-quiet");  // tooltips
      if (next && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        rove(toolbar, next);
      }
    });
    // A tooltip near an end of the toolbar opens towards its middle, not off the screen.
    for (const type of ["pointerover", "focusin"]) {
      toolbar.addEventListener(type, (event) => {
        const button = event.target.closest?.("button");
        if (!button) return;
        const bar = toolbar.getBoundingClientRect();
        const box = button.getBoundingClientRect();
        const middle = (box.left + box.right) / 2 - bar.left;
        const side = middle < 110 ? "start" : bar.width - middle < 110 ? "end" : "";
        button.dataset.tipSide = side;
      });
    }
    for (const type of ["pointerleave", "focusout"]) {
      toolbar.addEventListener(type, () => toolbar.classList.remove("editor-toolbar-quiet"));
    }
    // A button clicked with the pointer becomes the toolbar's tab stop too.
    toolbar.addEventListener("focusin", (event) => {
      if (event.target.matches("button")) {
        for (const button of buttonsOf(toolbar)) button.tabIndex = button === event.target ? 0 : -1;
      }
    });

    const input = document.createElement("input");
    input.type = "file";
    input.accept = "image/jpeg,image/png,image/webp,image/gif";
    input.multiple = true;
    input.hidden = true;
    input.className = "editor-toolbar-file";
    input.setAttribute("aria-label", "Image to upload");
    input.addEventListener("change", () => {
      const files = [...input.files];
      input.value = "";
      if (files.length) window.blogEditor.placeImages(textarea, files);
    });
    toolbar.append(input);

    textarea.before(toolbar);
    toolbars.add(toolbar);
    const wrapper = wrapperOf(textarea);
    wrapper.classList.add("editor-has-toolbar");
  }

  function place(toolbar, spec) {
    if (toolbar.querySelector(`[data-action="${CSS.escape(spec.name)}"]`)) return;
    const button = makeButton(spec, toolbar.editor);
    const before = toolbar.querySelector(`[data-action="${CSS.escape(spec.before || "fullscreen")}"]`);
    if (before) before.before(button);
    else toolbar.querySelector(".editor-toolbar-status").before(button);
  }

  function addToolbarButton(spec) {
    if (!spec?.name || !spec.label || typeof spec.run !== "function") {
      throw new Error("addToolbarButton needs a name, a label and run(textarea, button)");
    }
    extraButtons.push(spec);
    for (const toolbar of toolbars) place(toolbar, spec);
  }

  // ---- Image upload, FAQ item, full screen ------------------------------------------

  function toolbarOf(textarea) {
    return textarea.previousElementSibling?.matches(".editor-toolbar")
      ? textarea.previousElementSibling
      : [...toolbars].find((toolbar) => toolbar.editor === textarea);
  }

  function chooseImages(textarea) {
    // The caret is kept while the file dialog is open: the images go to its line's end.
    toolbarOf(textarea)?.querySelector(".editor-toolbar-file").click();
  }

  // The FAQ inline of this form: the inline group whose empty row has a question field.
  function faqGroup(textarea) {
    const form = textarea.form || document;
    const empty = [...form.querySelectorAll(".inline-group .empty-form")]
      .find((row) => row.querySelector('[name$="-question"]'));
    return empty?.closest(".inline-group") || null;
  }

  function addFaqItem(textarea) {
    const group = faqGroup(textarea);
    const add = group?.querySelector(".add-row a");
    if (!add) return;
    setFullScreen(textarea, false, false);
    add.click();
    const rows = [...group.querySelectorAll(".inline-related:not(.empty-form)")];
    const question = rows.at(-1)?.querySelector('[name$="-question"]');
    if (question) {
      question.focus();
      question.scrollIntoView({ block: "center" });
    }
  }

  function wrapperOf(textarea) {
    return textarea.closest(".markdownx") || textarea.parentElement;
  }

  function announce(textarea, message) {
    const status = toolbarOf(textarea)?.querySelector(".editor-toolbar-status");
    if (status) status.textContent = message;
  }

  function setFullScreen(textarea, on, moveFocus = true) {
    const wrapper = wrapperOf(textarea);
    if (wrapper.classList.contains("editor-fullscreen") === on) return;
    const toolbar = toolbarOf(textarea);
    const button = toolbar?.querySelector('[data-action="fullscreen"]');
    wrapper.classList.toggle("editor-fullscreen", on);
    document.body.classList.toggle("editor-fullscreen-open", on);
    if (button) {
      button.setAttribute("aria-pressed", String(on));
      button.dataset.tooltip = on ? "Leave full screen (Esc)" : "Full screen, Esc leaves";
      button.querySelector(".editor-toolbar-face").replaceChildren(icon(on ? "collapse" : "expand"));
    }
    announce(textarea, on ? "Full screen. Esc leaves." : "Full screen left.");
    if (on) {
      measureToolbar(wrapper);
      if (moveFocus) textarea.focus();
    } else {
      wrapper.scrollIntoView({ block: "nearest" });
    }
  }

  // On a narrow screen the preview sits below the text, which fills the screen under the
  // toolbar; the toolbar's height depends on how many rows its buttons wrap to.
  function measureToolbar(wrapper) {
    const toolbar = wrapper.querySelector(":scope > .editor-toolbar");
    if (toolbar) wrapper.style.setProperty("--editor-toolbar-height", `${toolbar.offsetHeight}px`);
  }
  window.addEventListener("resize", () => {
    const wrapper = document.querySelector(".editor-fullscreen");
    if (wrapper) measureToolbar(wrapper);
  });

  function toggleFullScreen(textarea) {
    // Entered from the button, the caret goes back to the words; left, focus stays put.
    const on = !wrapperOf(textarea).classList.contains("editor-fullscreen");
    setFullScreen(textarea, on, on);
  }

  // Tabbing on to the next field of the form leaves full screen: the field is behind it.
  // (A dialog another script opens over the page is not the form: full screen stays.)
  // Watched on the document, not as a focusout of the editor: a preview link that had the
  // focus may have been redrawn away, and then the focus leaves from nowhere.
  document.addEventListener("focusin", (event) => {
    const wrapper = document.querySelector(".editor-fullscreen");
    const textarea = wrapper?.querySelector(EDITOR);
    if (textarea && !wrapper.contains(event.target) && textarea.form?.contains(event.target)) {
      setFullScreen(textarea, false, false);
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    const wrapper = document.querySelector(".editor-fullscreen");
    const textarea = wrapper?.querySelector(EDITOR);
    // Not an Esc meant for a dialog or menu another script opened over the editor.
    if (!textarea || !(wrapper.contains(event.target) || event.target === document.body)) return;
    event.preventDefault();
    setFullScreen(textarea, false, false);
  });

  window.blogEditor = Object.assign(window.blogEditor || {}, {
    format,
    actionForKey,
    addToolbarButton,
  });

  // Saving from full screen (Ctrl+S) comes back to full screen, unless the form came back
  // with errors to read: the page's own reload would otherwise throw the writer out.
  const KEPT = "blogEditor.fullScreen";
  document.addEventListener("submit", (event) => {
    const textarea = document.querySelector(".editor-fullscreen")?.querySelector(EDITOR);
    if (textarea && textarea.form === event.target) {
      sessionStorage.setItem(KEPT, JSON.stringify({ name: textarea.name, at: Date.now() }));
    }
  });
  function restoreFullScreen() {
    let kept = null;
    try {
      kept = JSON.parse(sessionStorage.getItem(KEPT));
    } catch {
      // nothing usable kept
    }
    sessionStorage.removeItem(KEPT);
    // Only the page the save answered with, not a form opened much later.
    if (!kept || !(Date.now() - kept.at < 60_000)) return;
    const textarea = [...document.querySelectorAll(EDITOR)].find((field) => field.name === kept.name);
    if (textarea && !document.querySelector(".errornote, .errorlist")) setFullScreen(textarea, true);
  }

  const enhance = () => document.querySelectorAll(EDITOR).forEach(build);
  document.addEventListener("DOMContentLoaded", () => {
    enhance();
    restoreFullScreen();
  });
  // An inline row added later may bring an editor of its own.
  document.addEventListener("formset:added", enhance);
})();

// Images dropped or pasted into a Markdown editor go where they were dropped (or where the
// caret is, for a paste), on lines of their own, and Ctrl+Z takes them out again.
//
// django-markdownx inserts an upload at the last caret position, glued to the text around
// it (dropped above "## Heading", the heading became text after the image), then moves
// the caret to the end and leaves nothing to undo. This script takes the drop and the
// paste first and sends the file to the same upload endpoint markdownx uses.
"use strict";
(() => {
  const EDITOR = "textarea.markdownx-editor";

  // The character of the textarea's text under a point on screen: a copy of the textarea
  // as plain text, laid over it with the same box, font and scroll, asked by the browser.
  function offsetAt(textarea, x, y) {
    const style = getComputedStyle(textarea);
    const rect = textarea.getBoundingClientRect();
    const mirror = document.createElement("div");
    for (const name of [
      "boxSizing", "width", "height", "paddingTop", "paddingRight", "paddingBottom",
      "paddingLeft", "borderTopWidth", "borderRightWidth", "borderBottomWidth",
      "borderLeftWidth", "borderStyle", "fontFamily", "fontSize", "fontWeight", "fontStyle",
      "lineHeight", "letterSpacing", "wordSpacing", "tabSize", "textIndent", "direction",
    ]) {
      mirror.style[name] = style[name];
    }
    Object.assign(mirror.style, {
      position: "fixed", left: `${rect.left}px`, top: `${rect.top}px`, margin: "0",
      overflow: "hidden", whiteSpace: "pre-wrap", overflowWrap: "break-word",
      opacity: "0", zIndex: "2147483647",
    });
    const text = document.createTextNode(`${textarea.value}\n`);
    mirror.append(text);
    document.body.append(mirror);
    mirror.scrollTop = textarea.scrollTop;
    let offset = null;
    if (document.caretPositionFromPoint) {
      const position = document.caretPositionFromPoint(x, y);
      if (position && position.offsetNode === text) offset = position.offset;
    } else if (document.caretRangeFromPoint) {
      const range = document.caretRangeFromPoint(x, y);
      if (range && range.startContainer === text) offset = range.startOffset;
    }
    mirror.remove();
    return offset === null ? textarea.selectionStart : Math.min(offset, textarea.value.length);
  }

  // Where an image goes for a drop at ``offset``: never inside a line of text (that would
  // split a paragraph or a heading), so at the end of the line the point is on.
  function lineEnd(value, offset) {
    const end = value.indexOf("\n", offset);
    const lineStart = value.lastIndexOf("\n", offset - 1) + 1;
    if (value.slice(lineStart, end === -1 ? value.length : end).trim() === "") return offset;
    return end === -1 ? value.length : end;
  }

  // The Markdown with as many line breaks around it as make it a paragraph of its own.
  function onItsOwnLines(value, at, markdown) {
    const before = value.slice(0, at);
    const after = value.slice(at);
    const lead = before === "" ? "" : "\n".repeat(Math.max(0, 2 - before.match(/\n*$/)[0].length));
    const trail = after === "" ? "\n" : "\n".repeat(Math.max(0, 2 - after.match(/^\n*/)[0].length));
    return `${lead}${markdown}${trail}`;
  }

  function insert(textarea, at, text) {
    textarea.focus();
    textarea.setSelectionRange(at, at);
    // insertText keeps the browser's undo history (Ctrl+Z removes the image) and fires
    // the input event markdownx's preview, autosave and the checks listen to.
    if (!document.execCommand("insertText", false, text)) {
      textarea.setRangeText(text, at, at, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  async function upload(textarea, file) {
    const form = textarea.closest("form");
    const data = new FormData();
    data.append("image", file);
    const token = form?.querySelector("[name=csrfmiddlewaretoken]");
    if (token) data.append("csrfmiddlewaretoken", token.value);
    const response = await fetch(textarea.dataset.markdownxUploadUrlsPath, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "XMLHttpRequest" },
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok || !answer.image_code) {
      const message = Object.values(answer).flat().join(" ") || `the server said ${response.status}`;
      throw new Error(message);
    }
    return answer.image_code;
  }

  function tell(textarea, message) {
    let status = textarea.parentElement.querySelector(".editor-image-status");
    if (!status) {
      status = document.createElement("p");
      status.className = "editor-image-status help";
      status.setAttribute("role", "status");
      textarea.after(status);
    }
    status.textContent = message;
  }

  async function place(textarea, files, at) {
    for (const file of files) {
      tell(textarea, `Uploading ${file.name}…`);
      textarea.style.opacity = "0.6";
      try {
        const markdown = await upload(textarea, file);
        // The text may have changed while the file uploaded; the spot is kept in range.
        const spot = Math.min(at, textarea.value.length);
        const text = onItsOwnLines(textarea.value, spot, markdown);
        insert(textarea, spot, text);
        at = spot + text.length;
        tell(textarea, `${file.name} added. Describe it in the brackets (alt text).`);
      } catch (error) {
        tell(textarea, `${file.name} was not added: ${error.message}`);
      } finally {
        textarea.style.opacity = "";
      }
    }
  }

  // For the other editor scripts (toolbar, media library): one way to put an image in.
  window.blogEditor = Object.assign(window.blogEditor || {}, {
    // Uploads ``files`` and puts each at ``at`` (default: the caret's line end).
    placeImages(textarea, files, at = lineEnd(textarea.value, textarea.selectionStart)) {
      return place(textarea, files, at);
    },
    // Puts Markdown such as ``![alt](url)`` on lines of its own at the caret, undoably.
    insertOnOwnLines(textarea, markdown, at = lineEnd(textarea.value, textarea.selectionStart)) {
      insert(textarea, at, onItsOwnLines(textarea.value, at, markdown));
    },
  });

  function imagesIn(transfer) {
    return [...(transfer?.files || [])];
  }

  // Capture phase on the document: before markdownx's own listeners on the textarea.
  document.addEventListener("drop", (event) => {
    const textarea = event.target.closest?.(EDITOR);
    const files = imagesIn(event.dataTransfer);
    if (!textarea || !files.length) return;
    event.preventDefault();
    event.stopPropagation();
    const at = lineEnd(textarea.value, offsetAt(textarea, event.clientX, event.clientY));
    place(textarea, files, at);
  }, true);

  document.addEventListener("paste", (event) => {
    const textarea = event.target.closest?.(EDITOR);
    const files = imagesIn(event.clipboardData);
    if (!textarea || !files.length) return;
    event.preventDefault();
    event.stopPropagation();
    place(textarea, files, lineEnd(textarea.value, textarea.selectionStart));
  }, true);
})();

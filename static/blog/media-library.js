// "Insert from library": a button by each Markdown editor that opens a dialog listing the
// media library (blog/editor.py `library`, staff only), searchable, navigable with the arrow
// keys; the chosen image goes in at the caret on lines of its own, undoably
// (window.blogEditor.insertOnOwnLines, static/blog/editor-images.js), with its stored alt text.
"use strict";
(() => {
  const EDITOR = "textarea.markdownx-editor";
  let dialog = null;
  let state = null; // {textarea, start, end, query, page, hasNext, active, items, controller}

  // The library's address sits beside the upload endpoint's (/markdownx/upload/ → library/).
  function libraryUrl(textarea) {
    const upload = new URL(textarea.dataset.markdownxUploadUrlsPath || "/markdownx/upload/", location.href);
    return new URL("../library/", upload);
  }

  function element(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    node.append(...children);
    return node;
  }

  function build() {
    const title = element("h2", { id: "media-picker-title", text: "Insert from library" });
    const close = element("button", { type: "button", class: "media-picker-close", "aria-label": "Close", text: "×" });
    const search = element("input", {
      type: "search", id: "media-picker-search", class: "vTextField", autocomplete: "off",
      role: "combobox", "aria-controls": "media-picker-list", "aria-expanded": "true",
      "aria-autocomplete": "list", "aria-describedby": "media-picker-hint",
    });
    const hint = element("p", {
      id: "media-picker-hint", class: "help",
      text: "Type to search by name, alt text or caption. Arrow keys choose, Enter inserts, Esc closes.",
    });
    const status = element("p", { class: "media-picker-status", role: "status" });
    const list = element("ul", { id: "media-picker-list", class: "media-picker-list", role: "listbox", "aria-label": "Images" });
    const more = element("button", { type: "button", class: "button media-picker-more", hidden: "", text: "Show more" });
    const node = element(
      "dialog",
      { class: "media-picker", "aria-labelledby": "media-picker-title" },
      element("div", { class: "media-picker-head" }, title, close),
      element("label", { for: "media-picker-search", text: "Search images" }),
      search, hint, status, list, more,
    );
    document.body.append(node);

    close.addEventListener("click", () => node.close());
    more.addEventListener("click", () => load(state.page + 1, true));
    let timer = null;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => load(1, false), 200);
    });
    search.addEventListener("keydown", (event) => {
      const count = state.items.length;
      const moves = { ArrowDown: 1, ArrowUp: -1 };
      if (event.key in moves && count) {
        event.preventDefault();
        activate(state.active < 0 ? 0 : (state.active + moves[event.key] + count) % count);
      } else if ((event.key === "Home" || event.key === "End") && count && event.ctrlKey) {
        event.preventDefault();
        activate(event.key === "Home" ? 0 : count - 1);
      } else if (event.key === "Enter") {
        event.preventDefault();
        if (state.active >= 0) pick(state.items[state.active]);
      }
    });
    list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) pick(state.items[Number(option.dataset.index)]);
    });
    // Focus stays in the dialog: Tab from the last control goes to the first, and back.
    node.addEventListener("keydown", (event) => {
      if (event.key !== "Tab") return;
      const focusable = [...node.querySelectorAll("button:not([hidden]), input")];
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
    node.addEventListener("close", () => {
      state.controller?.abort();
      const { textarea, start, end } = state;
      // After the browser has given the focus back to the button that opened the dialog
      // (a toolbar button): the author goes on writing where the caret was.
      setTimeout(() => {
        textarea.focus();
        textarea.setSelectionRange(start, end);
      });
    });
    return node;
  }

  function activate(index) {
    const options = dialog.querySelectorAll("[role=option]");
    options.forEach((option, at) => option.setAttribute("aria-selected", String(at === index)));
    state.active = index;
    const search = dialog.querySelector("#media-picker-search");
    if (index < 0) {
      search.removeAttribute("aria-activedescendant");
      return;
    }
    search.setAttribute("aria-activedescendant", options[index].id);
    options[index].scrollIntoView({ block: "nearest" });
  }

  function option(item, index) {
    const size = item.width && item.height ? `${item.width}×${item.height} px` : "";
    const thumb = element("img", { src: item.thumbnail, alt: "", loading: "lazy", width: "64", height: "48" });
    return element(
      "li",
      { role: "option", id: `media-option-${item.id}`, "aria-selected": "false", "data-index": String(index) },
      thumb,
      element("span", { class: "media-picker-name", text: item.name }),
      element("span", { class: "media-picker-alt", text: item.alt || "No alt text yet" }),
      element("span", { class: "media-picker-size", text: size }),
    );
  }

  async function load(page, append) {
    const search = dialog.querySelector("#media-picker-search");
    const list = dialog.querySelector("#media-picker-list");
    const status = dialog.querySelector(".media-picker-status");
    const more = dialog.querySelector(".media-picker-more");
    state.controller?.abort();
    state.controller = new AbortController();
    const url = libraryUrl(state.textarea);
    url.searchParams.set("q", search.value);
    url.searchParams.set("page", String(page));
    status.textContent = "Loading…";
    let answer;
    try {
      const response = await fetch(url, {
        credentials: "same-origin", signal: state.controller.signal,
        headers: { Accept: "application/json" },
      });
      answer = await response.json();
      if (!response.ok) throw new Error(answer.error || `the server said ${response.status}`);
    } catch (error) {
      if (error.name !== "AbortError") status.textContent = `The library could not be read: ${error.message}`;
      return;
    }
    if (!append) {
      state.items = [];
      list.replaceChildren();
    }
    for (const item of answer.results) {
      list.append(option(item, state.items.length));
      state.items.push(item);
    }
    state.page = answer.page;
    more.hidden = !answer.has_next;
    const found = answer.count === 1 ? "1 image" : `${answer.count} images`;
    status.textContent = answer.count ? `${found}${answer.query ? ` for “${answer.query}”` : ""}.` : "No images found.";
    activate(append ? state.active : state.items.length ? 0 : -1);
  }

  function pick(item) {
    const { textarea } = state;
    dialog.close();
    window.blogEditor.insertOnOwnLines(textarea, item.markdown);
  }

  function open(textarea) {
    dialog ||= build();
    state = {
      textarea, start: textarea.selectionStart, end: textarea.selectionEnd,
      page: 1, active: -1, items: [], controller: null,
    };
    const search = dialog.querySelector("#media-picker-search");
    search.value = "";
    dialog.showModal();
    search.focus();
    load(1, false);
  }

  // In the editor's toolbar where there is one (static/blog/editor-toolbar.js), as one of
  // its buttons; otherwise a button of its own after the text.
  function addButton(textarea) {
    const button = element("button", {
      type: "button", class: "button editor-media-button", "aria-haspopup": "dialog",
      text: "Insert from library",
    });
    button.addEventListener("click", () => open(textarea));
    textarea.after(element("div", { class: "editor-media-actions" }, button));
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!window.blogEditor?.insertOnOwnLines || !window.HTMLDialogElement) return;
    if (window.blogEditor.addToolbarButton) {
      window.blogEditor.addToolbarButton({
        name: "library", label: "Insert from library", icon: "library", run: open,
      });
    } else {
      document.querySelectorAll(EDITOR).forEach(addButton);
    }
  });
})();

// The post's body beside the page it makes: a preview drawn by the article's own templates
// and the site's stylesheet (blog/admin/preview.py), side by side with the editor on wide
// screens, behind "Write / Preview" tabs on narrow ones, following the editor's scroll.
// Under it, the word count and reading time the saved post will store.
//
// The preview is an iframe filled once from srcdoc (it inherits the admin's CSP: no
// script runs in it, and its stylesheet comes from the site itself); later answers are
// patched into it node by node, so its scroll position and images stay where they are.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const editor = document.querySelector("textarea.markdownx-editor[data-preview-url]");
  const form = editor?.form;
  const wrapper = editor?.closest(".markdownx");
  if (!form || !wrapper) return;
  const postId = (window.location.pathname.match(/\/(\d+)\/change\/$/) || [])[1] || "";
  const wide = window.matchMedia("(min-width: 1100px)");
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  const FIELDS = ["csrfmiddlewaretoken", "title", "description", "body", "author",
                  "featured_image_alt", "featured_image_caption", "featured_image_credit"];
  const CHECKBOXES = ["show_toc", "featured_image-clear"];

  // ---- The pane, the tabs and the count --------------------------------------------
  wrapper.classList.add("has-page-preview");
  if (!editor.id) editor.id = "id_body";
  const pane = document.createElement("div");
  pane.id = `${editor.id}-preview`;
  pane.className = "editor-preview";
  const status = document.createElement("p");
  status.className = "editor-preview-status";
  status.setAttribute("role", "status");
  status.hidden = true;
  const frame = document.createElement("iframe");
  frame.title = "Preview of the page";
  // Same origin, for this script to patch it; no scripts, forms or navigation of its own.
  frame.setAttribute("sandbox", "allow-same-origin");
  pane.append(status, frame);

  const tabs = document.createElement("div");
  tabs.className = "editor-tabs";
  tabs.setAttribute("role", "tablist");
  tabs.setAttribute("aria-label", "Body");
  const tab = (name, label, controls) => {
    const button = document.createElement("button");
    button.type = "button";
    button.id = `${editor.id}-tab-${name}`;
    button.textContent = label;
    button.setAttribute("role", "tab");
    button.setAttribute("aria-controls", controls);
    tabs.append(button);
    return button;
  };
  const writeTab = tab("write", "Write", editor.id);
  const previewTab = tab("preview", "Preview", pane.id);
  pane.setAttribute("role", "tabpanel");
  pane.setAttribute("aria-labelledby", previewTab.id);
  wrapper.prepend(tabs);
  editor.after(pane);

  const counter = document.createElement("p");
  counter.className = "editor-count";
  counter.setAttribute("aria-live", "polite");
  wrapper.after(counter);

  function select(showPreview, focus = false) {
    wrapper.classList.toggle("shows-preview", showPreview);
    for (const [button, on] of [[writeTab, !showPreview], [previewTab, showPreview]]) {
      button.setAttribute("aria-selected", String(on));
      button.tabIndex = on ? 0 : -1;
      if (on && focus) button.focus();
    }
    if (showPreview) follow();
  }
  writeTab.addEventListener("click", () => select(false));
  previewTab.addEventListener("click", () => select(true));
  tabs.addEventListener("keydown", (event) => {
    if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
    event.preventDefault();
    const toPreview = event.key === "End" || (event.key !== "Home" && !wrapper.classList.contains("shows-preview"));
    select(toPreview, true);
  });
  select(false);
  wide.addEventListener("change", () => wide.matches && follow());

  // ---- Light and dark follow the admin's theme (or the system's, as the site does) ---
  function theme() {
    const chosen = document.documentElement.dataset.theme;
    if (chosen === "light" || chosen === "dark") return chosen;
    return systemDark.matches ? "dark" : "light";
  }
  function applyTheme() {
    const root = frame.contentDocument?.documentElement;
    if (root) root.dataset.theme = theme();
  }
  new MutationObserver(applyTheme).observe(document.documentElement, { attributeFilter: ["data-theme"] });
  systemDark.addEventListener("change", applyTheme);

  // ---- Asking for the page ------------------------------------------------------------
  function fields() {
    const data = new FormData();
    for (const name of FIELDS) data.append(name, form.elements[name]?.value ?? "");
    for (const name of CHECKBOXES) if (form.elements[name]?.checked) data.append(name, "on");
    for (const element of form.elements) {
      const name = element.name || "";
      if (!name.startsWith("faq_items-") || name.includes("__prefix__")) continue;
      if (element.type === "checkbox") {
        if (element.checked) data.append(name, "on");
      } else {
        data.append(name, element.value);
      }
    }
    // A featured image chosen and not saved yet goes once; the server keeps it (as a form
    // with an error keeps it) and answers its signed name, which later requests send.
    const chosen = form.elements.featured_image?.files?.[0];
    const keptField = form.elements["featured_image-kept"]?.value;  // kept from a last try
    if (chosen && chosen === keptImage.file && keptImage.note) {
      data.append("featured_image-kept", keptImage.note);
    } else if (chosen) {
      data.append("featured_image", chosen);
      sentImage = chosen;
    } else if (keptField) {
      data.append("featured_image-kept", keptField);
    }
    data.append("post", postId);
    return data;
  }
  const keptImage = { file: null, note: "" };
  let sentImage = null;

  let timer = null;
  let busy = false;
  let again = false;
  let blocks = [];
  let ready = false;
  let latest = null;

  function tell(message) {
    status.textContent = message;
    status.hidden = !message;
  }

  async function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    const started = performance.now();
    try {
      const response = await fetch(editor.dataset.previewUrl, {
        method: "POST",
        body: fields(),
        credentials: "same-origin",
        headers: { "X-Requested-With": "XMLHttpRequest" },
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        tell(answer.error || `The preview could not be drawn (the server said ${response.status}).`);
      } else {
        tell("");
        if (answer.featured_image_kept) Object.assign(keptImage, { file: sentImage, note: answer.featured_image_kept });
        const drawing = performance.now();
        draw(answer);
        pane.dataset.drawMs = String(Math.round(performance.now() - drawing));
        count(answer.word_count, answer.reading_minutes);
      }
    } catch (error) {
      tell("The preview could not be reached; it is drawn again when you type.");
    } finally {
      busy = false;
      // How long one update took, request and drawing (and the drawing alone, above).
      pane.dataset.updateMs = String(Math.round(performance.now() - started));
      pane.dispatchEvent(new CustomEvent("editor-preview:updated", { bubbles: true }));
      if (again) {
        again = false;
        refresh();
      }
    }
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 500);
  }

  function count(words, minutes) {
    if (typeof words !== "number") return;
    const text = `${words.toLocaleString("en")} ${words === 1 ? "word" : "words"} · ${minutes} min read`;
    if (counter.textContent !== text) counter.textContent = text;  // announced once per pause
  }

  // ---- Drawing it -----------------------------------------------------------------------
  function draw(answer) {
    blocks = answer.blocks || [];
    latest = answer.document;
    const doc = frame.contentDocument;
    if (!ready || !doc?.body) {
      load(latest);
      return;
    }
    const next = new DOMParser().parseFromString(latest, "text/html");
    const here = doc.querySelector(".wrap");
    const there = next.querySelector(".wrap");
    if (!here || !there) {
      load(latest);
      return;
    }
    doc.title = next.title;
    patch(doc, here, there, 0);
    anchors = null;
  }

  // The theme is in the document from its first paint: no flash of the other one.
  function load(html) {
    ready = false;
    frame.srcdoc = html.replace("<html ", `<html data-theme="${theme()}" `);
  }

  // Replaces what differs between ``here`` and ``there``, keeping the equal nodes around it
  // (and inside the article body, its equal blocks), so an edit redraws one paragraph.
  function patch(doc, here, there, depth) {
    const old = [...here.childNodes];
    const fresh = [...there.childNodes];
    let start = 0;
    while (start < old.length && start < fresh.length && old[start].isEqualNode(fresh[start])) start++;
    let endOld = old.length;
    let endFresh = fresh.length;
    while (endOld > start && endFresh > start && old[endOld - 1].isEqualNode(fresh[endFresh - 1])) {
      endOld--;
      endFresh--;
    }
    if (endOld - start === endFresh - start) {
      for (let i = start; i < endOld; i++) {
        const [a, b] = [old[i], fresh[i]];
        if (a.isEqualNode(b)) continue;
        if (depth === 0 && a.nodeType === 1 && b.nodeType === 1 && a.tagName === b.tagName
            && a.className === b.className && a.matches(".e-content")) {
          patch(doc, a, b, depth + 1);
        } else {
          a.replaceWith(doc.importNode(b, true));
        }
      }
      return;
    }
    const before = old[endOld] || null;
    for (let i = start; i < endOld; i++) old[i].remove();
    for (let i = start; i < endFresh; i++) here.insertBefore(doc.importNode(fresh[i], true), before);
  }

  frame.addEventListener("load", () => {
    if (!frame.contentDocument?.querySelector(".e-content")) return;  // the first about:blank
    ready = true;
    pane.dataset.ready = "";
    anchors = null;
    applyTheme();
    const doc = frame.contentDocument;
    // Links stay out of the little window: a place on the page scrolls to it, anything
    // else opens in a new tab.
    doc.addEventListener("click", (event) => {
      const link = event.target.closest?.("a[href]");
      if (!link) return;
      event.preventDefault();
      const href = link.getAttribute("href");
      if (href.startsWith("#")) {
        doc.getElementById(decodeURIComponent(href.slice(1)))?.scrollIntoView();
      } else {
        window.open(link.href, "_blank", "noopener");
      }
    });
    follow();
  });

  // ---- Following the editor's scroll ---------------------------------------------------
  // Each source line's top in the editor, measured on a copy of the textarea's text laid out
  // with the same width and font; each body block's top in the preview, from the server's
  // (first line, tag) of each block. A position between two known lines is proportional.
  let lineTops = null;
  let anchors = null;

  function measureLines() {
    const style = getComputedStyle(editor);
    const mirror = document.createElement("div");
    for (const name of [
      "boxSizing", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft", "fontFamily",
      "fontSize", "fontWeight", "fontStyle", "lineHeight", "letterSpacing", "wordSpacing",
      "tabSize", "textIndent", "direction",
    ]) {
      mirror.style[name] = style[name];
    }
    Object.assign(mirror.style, {
      position: "absolute", left: "-99999px", top: "0", visibility: "hidden",
      width: `${editor.clientWidth}px`, boxSizing: "border-box", border: "0",
      whiteSpace: "pre-wrap", overflowWrap: "break-word",
    });
    const lines = editor.value.split("\n").map((text) => {
      const line = document.createElement("div");
      line.textContent = text || "\u200b";
      return line;
    });
    mirror.append(...lines);
    document.body.append(mirror);
    const tops = lines.map((line) => line.offsetTop);
    tops.push(mirror.scrollHeight);
    mirror.remove();
    return tops;
  }

  function measureBlocks() {
    const doc = frame.contentDocument;
    const body = doc?.querySelector(".e-content");
    if (!body) return [];
    const scrollY = doc.defaultView.scrollY;
    const elements = [...body.children];
    const found = [];
    let next = 0;
    for (const [line, tag] of blocks) {
      if (!tag) continue;
      for (let k = next; k < Math.min(elements.length, next + 4); k++) {
        const name = elements[k].tagName.toLowerCase();
        if (name === tag || (tag === "p" && (name === "figure" || name === "picture"))) {
          found.push([line, elements[k].getBoundingClientRect().top + scrollY]);
          next = k + 1;
          break;
        }
      }
    }
    const end = body.getBoundingClientRect().bottom + scrollY;
    found.push([editor.value.split("\n").length, end]);
    return found;
  }

  function sourceLineAtTop() {
    // The editor's first line shows below its top padding, as the copy's does.
    const y = editor.scrollTop + parseFloat(getComputedStyle(editor).paddingTop);
    let low = 0;
    let high = lineTops.length - 2;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineTops[middle] <= y) low = middle;
      else high = middle - 1;
    }
    const height = lineTops[low + 1] - lineTops[low] || 1;
    return low + Math.min(1, Math.max(0, (y - lineTops[low]) / height));
  }

  function previewTop(line) {
    let previous = [0, 0];
    for (const anchor of anchors) {
      if (anchor[0] >= line) {
        if (anchor[0] === previous[0]) return anchor[1];
        return previous[1] + ((line - previous[0]) / (anchor[0] - previous[0])) * (anchor[1] - previous[1]);
      }
      previous = anchor;
    }
    return previous[1];
  }

  const MARGIN = 12;
  let following = false;
  function follow() {
    if (following) return;
    following = true;
    requestAnimationFrame(() => {
      following = false;
      const view = frame.contentWindow;
      if (!ready || !view || !frame.offsetParent) return;
      const scroller = view.document.scrollingElement;
      if (editor.scrollTop <= 0) {
        view.scrollTo(0, 0);
        return;
      }
      if (editor.scrollTop + editor.clientHeight >= editor.scrollHeight - 1) {
        view.scrollTo(0, scroller.scrollHeight);
        return;
      }
      lineTops ||= measureLines();
      anchors ||= measureBlocks();
      // A little room above, so the line's block does not touch the edge.
      view.scrollTo(0, Math.max(0, previewTop(sourceLineAtTop()) - MARGIN));
    });
  }

  editor.addEventListener("scroll", follow, { passive: true });
  window.addEventListener("resize", () => {
    lineTops = null;
    anchors = null;
  });

  // markdownx leaves this textarea alone (blog/admin/preview.py), so its "a file may be
  // dropped here" goes too: without it the browser could open a dragged file in place of
  // the form. editor-images.js takes the drop itself.
  for (const type of ["dragenter", "dragover"]) {
    editor.addEventListener(type, (event) => {
      if (![...(event.dataTransfer?.types || [])].includes("Files")) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
    });
  }

  // ---- When to ask again ----------------------------------------------------------------
  form.addEventListener("input", (event) => {
    if (event.target === editor) lineTops = null;
    soon();
  });
  form.addEventListener("change", soon);
  document.addEventListener("formset:added", soon);
  document.addEventListener("formset:removed", soon);
  window.django?.jQuery?.(form).on("change", soon);  // the author picker (select2)
  refresh();
});

// "Check external links" in the "Before you publish" panel: posts the body as it stands to
// the staff-only endpoint (blog/admin/prepublish.py), which asks each site the body links
// to, and lists what it found; a place takes the author to its line (prepublish.js's goTo).
// Only when asked: saving never waits for it. Without JavaScript the section stays hidden.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const section = document.getElementById("external-links");
  const form = section?.closest("form");
  if (!form) return;
  const button = section.querySelector(".external-links-check");
  const status = section.querySelector(".external-links-status");
  const results = section.querySelector(".external-links-results");
  const body = form.elements.body;
  section.hidden = false;

  const LABELS = {
    broken: "✖ Broken",
    redirected: "↪ Redirected",
    unreachable: "⚠ Unreachable",
    answered: "? Check in a browser",
    "not-checked": "⊘ Not checked",
  };
  const addresses = (count) => `${count} ${count === 1 ? "address" : "addresses"}`;

  function item(result) {
    const li = document.createElement("li");
    li.className = result.kind === "ok" ? "prepublish-fine" : `prepublish-warning external-link-${result.kind}`;
    const label = document.createElement("strong");
    label.textContent = LABELS[result.kind] || "✔ Fine";
    const go = document.createElement("button");
    go.type = "button";
    go.className = "prepublish-go";
    go.dataset.field = "body";
    go.dataset.line = result.line;
    go.textContent = `Line ${result.line}`;
    const address = document.createElement("code");
    address.textContent = result.url;
    // The label already says "Broken": the message goes on from there.
    const message = result.message.replace(/^(broken|unreachable|not checked): /, "");
    li.append(label, " · ", go, ": ", result.image ? "image " : "", address, ` — ${message}`);
    return li;
  }

  function list(items) {
    const ul = document.createElement("ul");
    ul.className = "prepublish-list";
    ul.append(...items.map(item));
    return ul;
  }

  function draw(data) {
    const fine = data.results.filter((result) => result.kind === "ok");
    const problems = data.results.filter((result) => result.kind !== "ok");
    const counts = {};
    for (const result of problems) counts[result.kind] = (counts[result.kind] || 0) + 1;
    const parts = Object.entries(counts).map(
      ([kind, count]) => `${count} ${(LABELS[kind] || kind).replace(/^\S+ /, "").toLowerCase()}`,
    );
    parts.push(`${fine.length} fine`);
    let summary = data.results.length
      ? `Checked ${addresses(data.results.length)} in ${data.seconds} s: ${parts.join(", ")}.`
      : "No external links or images in the body.";
    if (data.left_out) summary += ` ${data.left_out} more not checked (the first ${data.results.length} only).`;
    status.textContent = summary;
    results.replaceChildren();
    if (problems.length) results.append(list(problems));
    if (fine.length) {
      const details = document.createElement("details");
      const title = document.createElement("summary");
      title.textContent = `${addresses(fine.length)} answered fine`;
      details.append(title, list(fine));
      results.append(details);
    }
  }

  async function check() {
    button.disabled = true;
    results.setAttribute("aria-busy", "true");
    status.textContent = "Checking external links… (at most about 15 seconds)";
    const data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken?.value ?? "");
    data.append("body", body?.value ?? "");
    try {
      const response = await fetch(section.dataset.url, { method: "POST", body: data });
      const answer = await response.json().catch(() => ({}));
      if (response.ok) draw(answer);
      else status.textContent = answer.error || `The links could not be checked (${response.status}).`;
    } catch {
      status.textContent = "The links could not be checked: the site did not answer.";
    } finally {
      button.disabled = false;
      results.removeAttribute("aria-busy");
    }
  }

  button.addEventListener("click", check);
  section.addEventListener("click", (event) => {
    const go = event.target.closest(".prepublish-go");
    if (go) window.blogEditor?.goTo?.(go.dataset.field, Number(go.dataset.line) || null);
  });
  // Lines move as the author writes: say so, rather than point at the wrong line.
  body?.addEventListener("input", () => {
    if (!results.childElementCount || section.querySelector(".external-links-stale")) return;
    const note = document.createElement("p");
    note.className = "help external-links-stale";
    note.textContent = "The body has changed since this check: check again for current lines.";
    results.prepend(note);
  });
});

// Rows put in order by dragging (SortableJS) or from the keyboard, in the admin's inlines
// (navigation, FAQ, keep reading) and change lists (books, praise).
//
// Each row's position input (data-sort-position, core/ordering.py) stays in the form: this
// script only rewrites the numbers, 1 to n in the rows' order on the page, and the server
// decides the order from them, as it does when they are typed without this script. So a
// position with an error stays shown, to be read and fixed.
//
// Per row: a handle to drag, which also moves the row with Up and Down (Alt or not), Home
// and End; and "Move up" / "Move down" buttons, for screen readers that keep the arrow
// keys. Each move is announced in a live region.
"use strict";
(function () {
  let live = null;

  function announce(text) {
    if (!live) {
      live = document.createElement("div");
      live.className = "sort-live sort-visually-hidden";
      live.setAttribute("aria-live", "polite");
      live.setAttribute("role", "status");
      document.body.append(live);
    }
    // Emptied first, so the same words twice are read twice.
    live.textContent = "";
    window.setTimeout(() => { live.textContent = text; }, 50);
  }

  function button(className, label, symbol) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.setAttribute("aria-label", label);
    element.title = label;
    const icon = document.createElement("span");
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = symbol;
    element.append(icon);
    return element;
  }

  // One list of rows: an inline's, or the change list's.
  class Group {
    constructor(container, rowSelector, options) {
      this.container = container;
      this.rowSelector = rowSelector;
      this.saveHint = options.saveHint || "";
      this.stacked = Boolean(options.stacked);
      // A number with an error is shown, to be read and corrected: then all are.
      this.showNumbers = Boolean(container.querySelector(".field-position .errorlist"));
      this.rows().forEach((row) => this.equip(row));
      this.label();
      window.Sortable.create(container, {
        draggable: rowSelector,
        handle: ".sort-handle",
        animation: 150,
        // The same pointer events with a mouse, a pen or a finger.
        forceFallback: true,
        fallbackTolerance: 3,
        ghostClass: "sort-ghost",
        chosenClass: "sort-chosen",
        onStart: (event) => { this.from = this.rows().indexOf(event.item); },
        onEnd: (event) => {
          const to = this.rows().indexOf(event.item);
          if (to !== this.from) this.moved(event.item, this.from, to);
        },
      });
    }

    rows() {
      return [...this.container.querySelectorAll(this.rowSelector)].filter(
        (row) => row.parentElement === this.container && this.input(row),
      );
    }

    input(row) {
      return row.querySelector("[data-sort-position]");
    }

    noun(row) {
      return this.input(row).dataset.sortNoun || "Row";
    }

    equip(row) {
      if (row.querySelector(".sort-controls")) return;
      const input = this.input(row);
      const wrapper = input.closest(".form-row, td") || input.parentElement;
      const controls = document.createElement("span");
      controls.className = "sort-controls";
      const handle = button("sort-handle", "", "⠿");
      const up = button("sort-up", "", "↑");
      const down = button("sort-down", "", "↓");
      controls.append(handle, up, down);
      handle.addEventListener("keydown", (event) => this.key(event, row));
      up.addEventListener("click", () => this.step(row, -1, up));
      down.addEventListener("click", () => this.step(row, 1, down));
      // Hidden, the numbers are still posted; the buttons say the place.
      const wrong = this.showNumbers;
      if (!wrong) input.classList.add("sort-number-hidden");
      const first = row.querySelector("td.original");
      if (this.stacked) {
        if (!wrong) wrapper.classList.add("sort-number-hidden");
        row.querySelector("h3").prepend(controls);
      } else if (first) {
        // An inline's table: in its first column, in view on a phone too.
        if (!wrong) wrapper.classList.add("sort-number-hidden");
        first.append(controls);  // after the saved row's name, which the admin places on top
      } else {
        wrapper.prepend(controls);
      }
    }

    key(event, row) {
      const moves = { ArrowUp: -1, ArrowDown: 1, Home: -Infinity, End: Infinity };
      if (!(event.key in moves) || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      this.step(row, moves[event.key], event.currentTarget);
    }

    step(row, by, focused) {
      const rows = this.rows();
      const from = rows.indexOf(row);
      const to = Math.max(0, Math.min(rows.length - 1, from + by));
      if (to === from) {
        const where = from === 0 ? "first" : "last";
        announce(`${this.noun(row)} ${from + 1} is already ${where}.`);
        return;
      }
      const others = rows.filter((other) => other !== row);
      if (to === 0) others[0].before(row);
      else others[to - 1].after(row);
      focused.focus();  // taken out of the page and put back: focus again
      this.moved(row, from, to);
    }

    moved(row, from, to) {
      const rows = this.rows();
      rows.forEach((each, index) => {
        const input = this.input(each);
        const number = String(index + 1);
        if (input.value === number) return;
        input.value = number;
        // Autosave and the warning on leaving count it as a change.
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      this.label();
      announce(`${this.noun(row)} ${from + 1} moved to position ${to + 1} of ${rows.length}.${this.saveHint}`);
    }

    label() {
      const rows = this.rows();
      rows.forEach((row, index) => {
        const place = `${this.noun(row)} ${index + 1} of ${rows.length}`;
        const controls = row.querySelector(".sort-controls");
        if (!controls) return;
        const [handle, up, down] = controls.children;
        const drag = `${place}: drag, or press Up or Down, to move it`;
        handle.setAttribute("aria-label", drag);
        handle.title = drag;
        for (const [element, where] of [[up, "up"], [down, "down"]]) {
          const words = `Move ${place} ${where}`;
          element.setAttribute("aria-label", words);
          element.title = words;
        }
        // A table's delete box has only its column's heading; say which row it deletes.
        const remove = row.querySelector("td.delete input[type=checkbox]");
        if (remove) remove.setAttribute("aria-label", `Delete ${place}`);
      });
    }
  }

  function inlineGroup(group) {
    if (!group.querySelector("[data-sort-position]")) return null;
    const stacked = group.dataset.inlineType === "stacked";
    const container = stacked ? group.querySelector("fieldset") : group.querySelector("tbody");
    if (!container) return null;
    const rows = stacked ? ".inline-related:not(.empty-form)" : "tr.form-row:not(.empty-form)";
    // A table's buttons go in its first column, whose heading the admin leaves empty;
    // its numbers' column goes, unless a number there has an error to read.
    group.classList.add("sort-rows");
    const heading = group.querySelector("th.original");
    if (heading && !heading.textContent.trim()) heading.textContent = "Order";
    if (!group.querySelector(".field-position .errorlist")) {
      group.querySelectorAll("th.column-position").forEach((th) => th.classList.add("sort-number-hidden"));
    }
    return new Group(container, rows, { stacked });
  }

  function changeList() {
    const table = document.querySelector("#result_list");
    if (!table || !table.querySelector("[data-sort-position]")) return;
    // Dragging numbers the rows shown; that is the whole list only when nothing is
    // filtered, searched, sorted otherwise or on another page.
    const whole = window.location.search === "" && !document.querySelector(".paginator a");
    if (!whole) {
      const note = document.createElement("p");
      note.className = "sort-note";
      note.textContent = "To drag rows into order, show the whole list (no search, filter or "
        + "sorting). Here, type a position: 1 comes first.";
      table.closest(".results").before(note);
      return;
    }
    new Group(table.querySelector("tbody"), "tr", {
      saveHint: " Save to keep the new order.",
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (!window.Sortable) return;  // the numbers stay, and work
    const groups = new Map();
    document.querySelectorAll(".js-inline-admin-formset").forEach((element) => {
      const group = inlineGroup(element);
      if (group) groups.set(element, group);
    });
    changeList();
    // A row added with "Add another" gets its buttons; it goes last until moved.
    document.addEventListener("formset:added", (event) => {
      const element = event.target.closest(".js-inline-admin-formset");
      const group = groups.get(element);
      if (!group) return;
      group.equip(event.target);
      group.label();
    });
    document.addEventListener("formset:removed", () => groups.forEach((group) => group.label()));
  });
})();

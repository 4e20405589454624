// The phone header: a Menu and a Search button, each opening its panel (the site's nav
// with the call to action, or the search box) below the header. One panel at a time;
// Escape or a second tap closes it. theme-boot.js (inlined in <head>) marks the page
// with the "js" class before the first paint, so site.css collapses the header only when
// this script can open it again; without JS the nav and the search box simply show.
const toggles = [...document.querySelectorAll(".site-header [data-header-toggle]")];
const panelOf = (button) => document.getElementById(button.getAttribute("aria-controls"));

const setOpen = (button, open) => {
  button.setAttribute("aria-expanded", String(open));
  panelOf(button)?.classList.toggle("is-open", open);
};

toggles.forEach((button) => {
  if (!panelOf(button)) { button.remove(); return; }
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    toggles.forEach((other) => { if (other !== button) setOpen(other, false); });
    setOpen(button, open);
    if (open && button.dataset.headerToggle === "search") panelOf(button).querySelector("input")?.focus();
  });
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const open = toggles.find((button) => button.getAttribute("aria-expanded") === "true");
  if (open) { setOpen(open, false); open.focus(); }
});

// The theme switch in the footer: System, Light or Dark, remembered in this
// browser. theme-boot.js (inlined in <head>) applies the choice before the
// first paint, so a page never flashes the other theme. Without JS the site
// follows the system setting and the switch stays hidden.
const root = document.documentElement;
const saved = () => { try { return localStorage.getItem("theme") || "system"; } catch (e) { return "system"; } };

document.querySelectorAll(".theme-switch").forEach((group) => {
  const buttons = group.querySelectorAll("button[data-theme-choice]");
  const show = (choice) => buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.themeChoice === choice)));
  buttons.forEach((button) => button.addEventListener("click", () => {
    const choice = button.dataset.themeChoice;
    try {
      if (choice === "system") localStorage.removeItem("theme"); else localStorage.setItem("theme", choice);
    } catch (e) { /* storage blocked: the choice lasts for this page only */ }
    if (choice === "system") delete root.dataset.theme; else root.dataset.theme = choice;
    show(choice);
  }));
  show(saved());
  group.hidden = false;
});

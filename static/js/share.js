// Progressive enhancement for the Share section: a copy-link button, and the
// system share sheet where the browser has one. Without JS the plain links work.
document.querySelectorAll(".copy-link").forEach((button) => {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const url = button.dataset.url;
    if (navigator.share && matchMedia("(pointer: coarse)").matches) {
      try { await navigator.share({ url, title: document.title }); return; } catch (e) { /* fall back to copying */ }
    }
    await navigator.clipboard.writeText(url);
    button.textContent = "Link copied";
    setTimeout(() => { button.textContent = "Copy link"; }, 2000);
  });
});

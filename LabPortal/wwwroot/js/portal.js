// Copy buttons for CLI blocks and addresses: the component calls this with the text to copy.
window.labPortal = {
  copy: async (text) => {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      return false;
    }
  },
  // The viewer's time zone (IANA name) and its offset now, for times shown in the viewer's zone.
  timeZoneName: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
  focus: (id) => { const el = document.getElementById(id); if (el) { el.focus(); el.scrollIntoView({ block: "nearest" }); } },
};

// The reconnect box's Reload button (no inline handler: the Content-Security-Policy allows scripts from this site only).
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("#lp-reload")) {
    location.reload();
  }
});

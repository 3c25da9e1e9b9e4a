// htmx sends the antiforgery token as a header on every request it makes; every
// state-changing endpoint validates it (the server renders the token into a meta tag).
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="lp-antiforgery"]')?.content;
  if (token) {
    event.detail.headers["RequestVerificationToken"] = token;
  }
});

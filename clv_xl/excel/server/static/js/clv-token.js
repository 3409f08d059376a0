// clv-xl: the "Access token" field of the CLV task pane (see auth.js). No inline script: the server's
// Content-Security-Policy only runs scripts served from its own static folder.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("clv-token-form");
  const input = document.getElementById("clv-token");
  const status = document.getElementById("clv-token-status");
  if (!form || !input || !status || !globalThis.clvToken) {
    return;
  }
  status.textContent = globalThis.clvToken.get() ? "A token is saved." : "No token saved.";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    globalThis.clvToken.set(input.value);
    input.value = "";
    status.textContent = globalThis.clvToken.get() ? "Token saved." : "Token removed.";
  });
});

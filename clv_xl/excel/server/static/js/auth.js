// clv-xl: the access token the add-in sends on every call, as "Authorization: Bearer <token>".
// Replaces xlwings Server's auth.js. `clv-xl serve` asks for a token outside loopback (see the README's
// "Security" section); the analyst enters it once in the CLV task pane, which keeps it in this add-in's
// local storage (custom functions and the ribbon share it).
const CLV_TOKEN_KEY = "clv-xl-server-token";

globalThis.clvToken = {
  get() {
    try {
      return globalThis.localStorage.getItem(CLV_TOKEN_KEY) || "";
    } catch (error) {
      return "";
    }
  },
  set(token) {
    const value = (token || "").trim();
    if (value) {
      globalThis.localStorage.setItem(CLV_TOKEN_KEY, value);
    } else {
      globalThis.localStorage.removeItem(CLV_TOKEN_KEY);
    }
  },
};

globalThis.getAuth = async function () {
  const token = globalThis.clvToken.get();
  return { token: token ? "Bearer " + token : "", provider: "" };
};

// Typed settings with defaults, kept in chrome.storage.local (trusted contexts only).

export const DEFAULTS = Object.freeze({
  serverUrl: "http://127.0.0.1:8000",
  token: "",
  sites: [],               // origins where the generic adapter runs, e.g. "https://desk.example.com"
  debugOpenShadow: false,  // tests only: an open shadow root so Playwright can look inside
});

export async function loadSettings() {
  const stored = await chrome.storage.local.get(Object.keys(DEFAULTS));
  return { ...DEFAULTS, ...stored };
}

export function cleanServerUrl(value) {
  let url;
  try { url = new URL(String(value || "").trim()); }
  catch { throw new Error("Enter the server's address, like https://vouch.example.com"); }
  if (!["http:", "https:"].includes(url.protocol)) throw new Error("The server URL must start with http:// or https://");
  return url.origin + url.pathname.replace(/\/+$/, "");
}

export async function saveSettings(changes) {
  const next = { ...(await loadSettings()) };
  if ("serverUrl" in changes) next.serverUrl = cleanServerUrl(changes.serverUrl);
  if ("token" in changes) next.token = String(changes.token || "").trim();
  if ("sites" in changes) next.sites = [...new Set((changes.sites || []).map((s) => new URL(s).origin))];
  await chrome.storage.local.set(next);
  return next;
}

// What pages may know: never the token itself.
export function publicSettings(settings) {
  return { serverUrl: settings.serverUrl, hasToken: Boolean(settings.token), sites: settings.sites,
           openShadow: Boolean(settings.debugOpenShadow) };
}

// The host permission pattern that lets the service worker call a server (http://127.0.0.1
// and http://localhost are granted at install; a self-hosted https server is asked for).
export function originPattern(url) {
  return `${new URL(url).origin}/*`;
}

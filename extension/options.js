// Options: the server URL, the API token (write-only here), and extra sites.
const form = document.getElementById("settings");
const status = document.getElementById("status");

async function send(type, payload = {}) {
  const reply = await chrome.runtime.sendMessage({ type, ...payload });
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.result;
}

function say(text, kind) {
  status.textContent = text;
  status.className = kind;
}

function readSites() {
  return form.sites.value.split("\n").map((s) => s.trim()).filter(Boolean);
}

// Access to the server and the extra sites is asked for while the user's click is
// still active: the browser refuses the request after an await. Already granted
// origins (127.0.0.1, localhost) resolve at once without asking.
function requestAccess(urls) {
  let origins;
  try { origins = urls.map((u) => `${new URL(u).origin}/*`); }
  catch { return Promise.reject(new Error(`Not a web address: ${urls.join(", ")}`)); }
  return chrome.permissions.request({ origins });
}

// A token pasted and saved here is announced by "Saved."; the storage listener below
// is for tokens the connect flow saves, and must not overwrite that a moment later.
let savedHere = null;

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const sites = readSites();
  const access = requestAccess([form.server.value, ...sites]);
  (async () => {
    try {
      if (!(await access)) throw new Error("Vouch needs access to the server and sites to work there.");
      const settings = { serverUrl: form.server.value, sites };
      if (form.token.value.trim()) settings.token = savedHere = form.token.value.trim();
      await send("settings.save", { settings });
      form.token.value = "";
      form.token.placeholder = "A token is saved (hidden)";
      say("Saved.", "ok");
    } catch (error) {
      say(error.message, "error");
    }
  })();
});

document.getElementById("connect").addEventListener("click", () => {
  const access = requestAccess([form.server.value]);
  (async () => {
    try {
      if (!(await access)) throw new Error("Vouch needs access to the server to connect.");
      await send("connect.start", { serverUrl: form.server.value });
      say("Sign in and choose “Connect” in the tab that opened…", "");
    } catch (error) {
      say(error.message, "error");
    }
  })();
});

// The service worker saves the token the server's page handed over; say who we are now.
chrome.storage.onChanged.addListener(async (changes, area) => {
  if (area !== "local" || !changes.token || !changes.token.newValue) return;
  if (changes.token.newValue === savedHere) return;
  try {
    const config = await send("ui.config");
    form.server.value = config.serverUrl;
    form.token.placeholder = "A token is saved (hidden)";
    const me = await send("settings.test", { serverUrl: config.serverUrl, token: null });
    say(`Connected as ${me.name} <${me.email}>.`, "ok");
  } catch (error) {
    say(error.message, "error");
  }
});

document.getElementById("test").addEventListener("click", () => {
  const access = requestAccess([form.server.value]);
  (async () => {
    say("Testing…", "");
    try {
      await access.catch(() => false); // a refusal is reported by the test below
      const me = await send("settings.test", { serverUrl: form.server.value, token: form.token.value || null });
      say(`Connected as ${me.name} <${me.email}>.`, "ok");
    } catch (error) {
      say(error.message, "error");
    }
  })();
});

(async () => {
  const config = await send("ui.config");
  form.server.value = config.serverUrl;
  form.sites.value = config.sites.join("\n");
  form.token.placeholder = config.hasToken ? "A token is saved (hidden)" : "vch_…";
})();

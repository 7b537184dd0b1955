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

async function requestSites(sites) {
  // Permission for extra sites is asked for while the user's click is still active.
  const origins = sites.map((s) => `${new URL(s).origin}/*`);
  if (origins.length && chrome.permissions && !(await chrome.permissions.contains({ origins }))) {
    await chrome.permissions.request({ origins });
  }
}

function readSites() {
  return form.sites.value.split("\n").map((s) => s.trim()).filter(Boolean);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const sites = readSites();
    await requestSites(sites);
    const settings = { serverUrl: form.server.value, sites };
    if (form.token.value.trim()) settings.token = form.token.value;
    await send("settings.save", { settings });
    form.token.value = "";
    say("Saved.", "ok");
  } catch (error) {
    say(error.message, "error");
  }
});

document.getElementById("test").addEventListener("click", async () => {
  try {
    const config = await send("ui.config");
    const me = await send("settings.test", { serverUrl: form.server.value, token: form.token.value || null });
    say(`Connected as ${me.name} <${me.email}>.`, "ok");
    void config;
  } catch (error) {
    say(error.message, "error");
  }
});

(async () => {
  const config = await send("ui.config");
  form.server.value = config.serverUrl;
  form.sites.value = config.sites.join("\n");
  form.token.placeholder = config.hasToken ? "A token is saved (hidden)" : "vch_…";
})();

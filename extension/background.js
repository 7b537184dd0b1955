// The service worker: the only holder of the server URL and token, and the only
// code that talks to the server (through src/api.js). It is a map of named handlers.
import { Api, ApiError } from "./src/api.js";
import { loadSettings, saveSettings, publicSettings, originPattern, cleanServerUrl } from "./src/settings.js";
import { syncGenericScripts, GENERIC_FILES } from "./src/generic_sites.js";
import { startConnect, pickUpToken, forgetConnect } from "./src/connect.js";

// Content scripts must never read the token: keep storage to trusted contexts.
chrome.storage.local.setAccessLevel?.({ accessLevel: "TRUSTED_CONTEXTS" });

// Without a host permission the browser blocks the call as cross-origin, which would
// look like "server down"; say what is really missing instead.
async function client(serverUrl, token) {
  if (serverUrl && !(await chrome.permissions.contains({ origins: [originPattern(serverUrl)] }))) {
    throw new ApiError("no_permission", `Vouch may not contact ${new URL(serverUrl).origin} yet: allow it in the options.`);
  }
  return new Api(serverUrl, token);
}

async function api() {
  const settings = await loadSettings();
  return client(settings.serverUrl, settings.token);
}

function fromExtensionPage(sender) {
  return sender.url && sender.url.startsWith(chrome.runtime.getURL(""));
}

// The toolbar badge: how many cards wait for the signed-in user to verify them.
async function showQueueCount(count) {
  await chrome.action.setBadgeBackgroundColor({ color: "#9a6700" });
  await chrome.action.setBadgeText({ text: count ? String(count) : "" });
}

async function refreshBadge(client) {
  try { await showQueueCount((await client.queue()).count); } catch { /* the sidebar reports errors */ }
}

// Per-site memory, kept here since content scripts may not touch storage: the sidebar's
// layout for each site, and the customer an agent chose for a conversation. Oldest entries
// go first beyond a bound, so the store never grows without end.
const REMEMBERED = { layouts: 200, choices: 2000 };

async function recall(area, name) {
  const stored = (await chrome.storage.local.get(area))[area] || {};
  return stored[name] ? stored[name].value : null;
}

async function remember(area, name, value) {
  const stored = (await chrome.storage.local.get(area))[area] || {};
  if (value === null || value === undefined) delete stored[name];
  else stored[name] = { value, at: Date.now() };
  const names = Object.keys(stored).sort((a, b) => stored[b].at - stored[a].at);
  for (const old of names.slice(REMEMBERED[area])) delete stored[old];
  await chrome.storage.local.set({ [area]: stored });
}

// The sending page's site, from the browser, never from what the content script says.
const siteOf = (sender) => new URL(sender.url).origin;
const conversationOf = (sender, key) => `${siteOf(sender)} ${String(key || "").slice(0, 500)}`;

const handlers = {
  "ui.config": async () => publicSettings(await loadSettings()),
  "layout.get": async (message, sender) => recall("layouts", siteOf(sender)),
  "layout.set": async ({ open, width }, sender) => remember("layouts", siteOf(sender),
    { open: Boolean(open), width: Math.round(Number(width)) || null }),
  "customer.choose": async ({ key, customerId }, sender) => remember("choices", conversationOf(sender, key),
    customerId ? Number(customerId) : null),
  "customers.find": async ({ q }) => (await api()).findCustomers(q),
  "context": async ({ context, key }, sender) => {
    const chosen = key ? await recall("choices", conversationOf(sender, key)) : null;
    const panel = await (await api()).context(chosen ? { ...context, customer_id: chosen } : context);
    await showQueueCount(panel.queue_count);
    return panel;
  },
  "search": async ({ q, source, conversation }) => (await api()).search(q, source, conversation),
  "card.get": async ({ id }) => (await api()).card(id),
  "card.save": async ({ id, version, title, body, host }) => {
    const client = await api();
    const saved = await client.saveCard(id, version, { title, body, origin: { kind: "sidebar", host } });
    await refreshBadge(client);
    return saved;
  },
  "card.verify": async ({ id }) => {
    const client = await api();
    const verified = await client.verifyCard(id);
    await refreshBadge(client);
    return verified;
  },
  "queue": async () => {
    const queue = await (await api()).queue();
    await showQueueCount(queue.count);
    return queue;
  },
  "notification.read": async ({ id }) => (await api()).markRead(id),
  "card.flag": async ({ id, kind, reason }) => (await api()).flagCard(id, kind, reason),
  "card.used": async ({ id, action, searchId, conversation }, sender) => (await api()).cardUsed(id, action, searchId,
    conversation, new URL(sender.url).host),
  // The card filled in for this conversation; the server records the insert or copy.
  "card.reply": async ({ id, action, customerId, contactName, conversation }, sender) => (await api()).reply(id, {
    action, customer_id: customerId || null, contact_name: String(contactName || "").slice(0, 200),
    conversation: conversation || null, host: new URL(sender.url).host }),
  "fact.add": async ({ customerId, text, pinned }) => (await api()).addFact(customerId, { text, pinned }),
  "fact.update": async ({ id, version, changes }) => (await api()).updateFact(id, version, changes),
  "fact.confirm": async ({ id, version }) => (await api()).confirmFact(id, version),
  "fact.delete": async ({ id }) => (await api()).deleteFact(id),
  // The host is the sending tab's, not what the content script says, and the version the manifest's.
  "adapter.health": async ({ adapter, check }, sender) => (await api()).adapterHealth({
    adapter, check, adapterVersion: chrome.runtime.getManifest().version, host: new URL(sender.url).host }),
  "me": async () => (await api()).me(),
  "options.open": async () => chrome.runtime.openOptionsPage(),
  // Only the extension's own pages may change settings or test a token.
  "settings.save": async (message, sender) => {
    if (!fromExtensionPage(sender)) throw new ApiError("forbidden", "Settings can only be changed in the options page.", 403);
    return publicSettings(await saveSettings(message.settings));
  },
  "connect.start": async ({ serverUrl }, sender) => {
    if (!fromExtensionPage(sender)) throw new ApiError("forbidden", "Not allowed here.", 403);
    const url = cleanServerUrl(serverUrl);
    if (!(await chrome.permissions.contains({ origins: [originPattern(url)] }))) {
      throw new ApiError("no_permission", `Allow Vouch to contact ${new URL(url).origin} first.`);
    }
    return startConnect(url);
  },
  "settings.test": async ({ serverUrl, token }, sender) => {
    if (!fromExtensionPage(sender)) throw new ApiError("forbidden", "Not allowed here.", 403);
    const saved = await loadSettings(); // an empty field means "the saved token"
    return (await client(cleanServerUrl(serverUrl || saved.serverUrl), token || saved.token)).me();
  },
};

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  const handler = handlers[message && message.type];
  if (!handler) {
    reply({ ok: false, error: { code: "unknown_message", message: `Unknown message ${message && message.type}` } });
    return false;
  }
  handler(message, sender)
    .then((result) => reply({ ok: true, result }))
    .catch((error) => reply({ ok: false, error: ApiError.describe(error) }));
  return true; // the reply comes later
});

async function toggleIn(tab) {
  if (!tab || tab.id === undefined) return;
  try {
    await chrome.tabs.sendMessage(tab.id, { type: "sidebar.toggle" });
  } catch {
    // No sidebar on this page yet: inject the generic adapter (activeTab grants it).
    // Browser pages (chrome://, the web store) refuse scripts; there is nothing to show there.
    await chrome.scripting.executeScript({ target: { tabId: tab.id }, files: GENERIC_FILES }).catch(() => {});
  }
}

chrome.action.onClicked.addListener((tab) => toggleIn(tab));
chrome.commands.onCommand.addListener(async (command, tab) => {
  if (command !== "toggle-sidebar") return;
  const [active] = tab ? [tab] : await chrome.tabs.query({ active: true, currentWindow: true });
  await toggleIn(active);
});

// The connect flow: the tab it opened is watched until the server's page hands over a token.
chrome.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.status !== "complete") return;
  pickUpToken(tabId, tab.url, async (serverUrl, token) => {
    await saveSettings({ serverUrl, token });
    await refreshBadge(new Api(serverUrl, token));
  }).catch(() => {});
});
chrome.tabs.onRemoved.addListener((tabId) => { forgetConnect(tabId).catch(() => {}); });

// The generic adapter's registration follows the saved list of sites, whoever saved it.
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes.sites) syncGenericScripts(changes.sites.newValue || []);
});
chrome.runtime.onInstalled.addListener(async () => syncGenericScripts((await loadSettings()).sites));
chrome.runtime.onStartup.addListener(async () => syncGenericScripts((await loadSettings()).sites));

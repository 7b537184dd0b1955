// Connecting to a Vouch server without pasting a token: open the server's /connect page,
// where the user signs in and agrees; that page then holds a new token for the extension,
// which reads it from the tab and closes it. The token never appears in a URL.
const PENDING = "connectPending"; // chrome.storage.session: { tabId, serverUrl }

export async function startConnect(serverUrl) {
  const tab = await chrome.tabs.create({ url: `${serverUrl}/connect` });
  await chrome.storage.session.set({ [PENDING]: { tabId: tab.id, serverUrl } });
  return { tabId: tab.id };
}

function readToken() {
  const element = document.getElementById("vouch-extension-token");
  return element ? element.dataset.token : null;
}

// Called whenever a tab finishes loading; acts only on the tab that connect opened, and
// only on the server's own /connect page (a page elsewhere could show any "token").
export async function pickUpToken(tabId, url, onToken) {
  const { [PENDING]: pending } = await chrome.storage.session.get(PENDING);
  if (!pending || pending.tabId !== tabId) return false;
  if (!url || new URL(url).origin !== new URL(pending.serverUrl).origin || !new URL(url).pathname.endsWith("/connect")) return false;
  const [found] = await chrome.scripting.executeScript({ target: { tabId }, func: readToken });
  const token = found && found.result;
  if (!token || !/^vch_[\w-]{20,200}$/.test(token)) return false;
  await chrome.storage.session.remove(PENDING);
  await onToken(pending.serverUrl, token);
  await chrome.tabs.remove(tabId).catch(() => {});
  return true;
}

export async function forgetConnect(tabId) {
  const { [PENDING]: pending } = await chrome.storage.session.get(PENDING);
  if (pending && pending.tabId === tabId) await chrome.storage.session.remove(PENDING);
}

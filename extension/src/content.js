// Starts Vouch on a page: the first adapter that fits reads the conversation, and the
// sidebar refreshes whenever the conversation in view changes (one server call each).
(async () => {
  const Vouch = globalThis.Vouch;
  if (Vouch.started) {
    // Injected again by the toolbar button on a page that already has the sidebar.
    Vouch.sidebar && Vouch.sidebar.toggle(true);
    return;
  }
  Vouch.started = true;
  const pick = () => Vouch.adapters.find((a) => a.name !== "generic" && a.matches())
    || Vouch.adapters.find((a) => a.name === "generic");
  let adapter = pick();
  if (!adapter) return;
  Vouch.adapter = adapter;

  let config = { openShadow: false };
  try { config = await Vouch.send("ui.config"); } catch { /* the sidebar says what is wrong on first load */ }
  const sidebar = (Vouch.sidebar = new Vouch.Sidebar(config));

  // Adapter health: a check that fails is told to the server once per page, never the page's content.
  const reported = new Set();
  const report = (name, check) => {
    if (reported.has(`${name}:${check}`)) return;
    reported.add(`${name}:${check}`);
    Vouch.send("adapter.health", { adapter: name, check }).catch(() => { /* the sidebar already says it */ });
  };

  let lastKey;
  adapter.watch(() => {
    let key = null;
    let context = null;
    let failed = null;
    try {
      // A self-hosted help desk (Zammad) is known by markup its app draws after start-up:
      // while only the generic adapter fits, ask again on each change (it keeps this watcher).
      if (adapter.name === "generic") adapter = Vouch.adapter = pick();
      key = adapter.key();
      if (key === lastKey) return;
      // A conversation is open: if the page no longer looks as the adapter expects, what it
      // would read is garbage, so nothing is read or suggested from it.
      failed = key === null ? null : Vouch.failedCheck(adapter);
      context = key === null || failed ? null : adapter.read();
    } catch { /* a page we misread must keep working; the sidebar just waits */ }
    lastKey = key;
    if (failed) {
      sidebar.unreadable(adapter.label || adapter.name);
      report(adapter.name, failed);
    } else if (context) {
      performance.mark("vouch:read"); // the conversation was read: see "vouch:shown" in sidebar.js
      sidebar.load(context);
    } else sidebar.idle();
  });

  chrome.runtime.onMessage.addListener((message) => {
    if (message && message.type === "sidebar.toggle") sidebar.toggle();
  });
})();

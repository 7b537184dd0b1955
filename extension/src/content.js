// Starts Vouch on a page: the first adapter that fits reads the conversation, and the
// sidebar refreshes whenever the conversation in view changes.
(async () => {
  const Vouch = globalThis.Vouch;
  if (Vouch.started) {
    Vouch.sidebar && Vouch.sidebar.toggle(true);
    return;
  }
  Vouch.started = true;
  const adapter = Vouch.adapters.find((a) => a.name !== "generic" && a.matches())
    || Vouch.adapters.find((a) => a.name === "generic");
  if (!adapter) return;

  let config = { openShadow: false };
  try { config = await Vouch.send("ui.config"); } catch { /* the sidebar says what is wrong on first load */ }
  const sidebar = (Vouch.sidebar = new Vouch.Sidebar(config));

  let lastKey = null;
  adapter.watch(() => {
    const context = adapter.read();
    if (!context || context.key === lastKey) return;
    lastKey = context.key;
    sidebar.load(context);
  });

  chrome.runtime.onMessage.addListener((message) => {
    if (message && message.type === "sidebar.toggle") sidebar.toggle();
  });
})();

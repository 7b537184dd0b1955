// Adapters register here, one file per host. Each reads the page into a context:
// { emails, names, subject, text, url, key } or null when no conversation is open.
(() => {
  const Vouch = (globalThis.Vouch = globalThis.Vouch || {});
  Vouch.adapters = Vouch.adapters || [];
  Vouch.registerAdapter = (adapter) => Vouch.adapters.push(adapter);

  const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
  const MAX_TEXT = 20000;

  // Shared by adapters: the addresses in a text, lower-cased, each once.
  Vouch.emailsIn = (text) => [...new Set((String(text || "").match(EMAIL) || []).map((e) => e.toLowerCase()))];
  Vouch.clip = (text) => String(text || "").replace(/\s+/g, " ").trim().slice(0, MAX_TEXT);

  // Calls back when the page's conversation may have changed (single-page apps
  // swap conversations without reloading): hash changes and DOM changes, debounced.
  Vouch.watchPage = (callback, delay = 400) => {
    let timer = null;
    const later = () => { clearTimeout(timer); timer = setTimeout(callback, delay); };
    window.addEventListener("hashchange", later);
    window.addEventListener("popstate", later);
    new MutationObserver((records) => {
      if (records.some((r) => !Vouch.isOwnNode || !Vouch.isOwnNode(r.target))) later();
    }).observe(document.body, { childList: true, subtree: true });
    later();
  };
})();

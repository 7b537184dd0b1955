// Adapters register here, one file per host. Each has:
//   matches()  is this page its host?
//   key()      a cheap string naming the conversation in view, or null when none is open;
//              called often, so it must not force layout (no innerText)
//   read()     the full context { emails, names, handles, subject, text, url, key }, read only
//              when the key changes
//   replyBox() optional: the editable reply being written, for "Insert"
//   label      the product's name as the agent knows it ("Zendesk"), for the sidebar's notices
//   checks     optional: { conversation, messages, customer }, each true when what the adapter
//              expects of an open conversation is on the page; run whenever key() names one
// Adding a host (Outlook, Front, Zendesk, …) is one more file calling registerAdapter
// and one more content_scripts entry in manifest.json.
(() => {
  const Vouch = (globalThis.Vouch = globalThis.Vouch || {});
  Vouch.adapters = Vouch.adapters || [];
  Vouch.registerAdapter = (adapter) => Vouch.adapters.push(adapter);

  const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
  const MAX_TEXT = 20000;

  // Shared by adapters: the addresses in a text, lower-cased, each once.
  Vouch.emailsIn = (text) => [...new Set((String(text || "").match(EMAIL) || []).map((e) => e.toLowerCase()))];
  Vouch.clip = (text) => String(text || "").replace(/\s+/g, " ").trim().slice(0, MAX_TEXT);
  // Robots are never the customer: no-reply, notification and bounce senders.
  const ROBOT = /^(no-?reply|do-?not-?reply|notifications?|notify|mailer-daemon|postmaster|bounces?)([+._-]|@)/i;
  Vouch.isRobot = (address) => ROBOT.test(String(address || ""));
  Vouch.withoutRobots = (emails) => emails.filter((email) => !Vouch.isRobot(email));
  // A conversation's context from what an adapter found: the customer panel's addresses,
  // else those written in the messages, never a robot's.
  // Handles are what a chat or social customer is known by without an address: a screen
  // name, a phone number, or the help desk's own id for them as "zendesk:5501".
  Vouch.context = ({ emails, names, handles = [], subject, texts, key }) => ({
    emails: Vouch.withoutRobots(emails.length ? emails : Vouch.emailsIn(texts.join(" "))),
    names, handles: [...new Set(handles.map((h) => String(h).trim()).filter(Boolean))].slice(0, 50),
    subject, url: location.href, key, text: Vouch.clip(texts.join("\n\n")),
  });
  // The help desk's id of a person from a link to their profile ("/agent/users/5501").
  Vouch.idHandle = (product, link, pattern) => {
    const found = link && (link.getAttribute("href") || "").match(pattern);
    return found ? `${product}:${found[1]}` : null;
  };
  // Help desks keep hidden copies of earlier views in the DOM, and hidden meta lines that name
  // someone other than the customer; only what the agent sees counts. Not shown: no box
  // (display: none), a hidden or aria-hidden ancestor, visibility: hidden, no size, or pushed
  // off the page's left edge (the screen-reader trick). Above or below the fold is shown: a
  // conversation pane scrolled down puts its first messages above the viewport.
  Vouch.isShown = (element) => {
    if (!element || !element.isConnected || !element.getClientRects().length) return false;
    if (element.closest('[hidden], [aria-hidden="true"]')) return false;
    const box = element.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) return false;
    if (box.right + window.scrollX <= 0) return false;
    return getComputedStyle(element).visibility !== "hidden";
  };
  // The elements matching a selector that show, inside `root`.
  Vouch.shown = (selector, root = document) => [...root.querySelectorAll(selector)].filter(Vouch.isShown);

  // The first of an adapter's checks that fails ("messages"), or null when the page looks as
  // the adapter expects. A check that throws has failed too: the markup it relied on is gone.
  Vouch.failedCheck = (adapter) => {
    for (const [name, check] of Object.entries(adapter.checks || {})) {
      let passed = false;
      try { passed = Boolean(check()); } catch { /* counted as failed */ }
      if (!passed) return name;
    }
    return null;
  };

  // Calls back when the page's conversation may have changed (single-page apps swap
  // conversations without reloading): hash changes and DOM changes, debounced. A page
  // that never stops mutating (Gmail's timers, chat) would starve a plain debounce,
  // so a call is forced at least every `maxWait` ms while changes keep coming. A page
  // that switches conversation by flipping attributes (which tab is selected, which
  // view is hidden) names them in `attributes`.
  Vouch.watchPage = (callback, delay = 400, maxWait = 2000, attributes = null) => {
    let timer = null;
    let firstChange = 0;
    const run = () => { timer = null; firstChange = 0; callback(); };
    const later = () => {
      const now = Date.now();
      if (!firstChange) firstChange = now;
      clearTimeout(timer);
      timer = setTimeout(run, Math.max(0, Math.min(delay, firstChange + maxWait - now)));
    };
    window.addEventListener("hashchange", later);
    window.addEventListener("popstate", later);
    // The sidebar hangs off <html>, outside <body>, so its own changes never land here.
    const watched = { childList: true, subtree: true, characterData: true };
    if (attributes) Object.assign(watched, { attributes: true, attributeFilter: attributes });
    new MutationObserver(later).observe(document.body, watched);
    later();
  };
})();

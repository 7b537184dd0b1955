// Intercom's inbox, modelled on app.intercom.com/a/inbox/<workspace>/inbox/…/conversation/<id>
// as of 2026: the open conversation's stream (data-testid="conversation-stream-scroll-container",
// .inbox-2__conversation-stream, .inbox2__… before the 2026 rename), its parts (Tailwind's
// group/content-part, data-part-group-id before it) with the text in .interblocks-html /
// *break-words, the title (data-conversation-title, data-inbox-conversation-header-title),
// the details sidebar beside it (.inbox-2__conversation-details-sidebar) where the user's
// email shows, and the ProseMirror composer (data-conversation-reply-composer). Intercom
// renames classes now and then, so each part has fallbacks; only the conversation that
// shows is read, never the inbox list or a panel left hidden in the DOM.
(() => {
  const Vouch = globalThis.Vouch;

  const STREAMS = [
    '[data-testid="conversation-stream-scroll-container"]', "[data-conversation-stream]",
    ".inbox-2__conversation-stream", ".inbox2__conversation-stream",
  ].join(", ");
  const PARTS = [
    '[class*="group/content-part"]', "[data-part-group-id]", "[data-part-id]",
    ".inbox-2__conversation-part", ".inbox2__conversation-part",
  ].join(", ");
  const PART_TEXT = '.interblocks-html, .inbox-2__break-words, .inbox2__break-words, [class*="break-words"]';
  // Best first: a conversation's own title (an email's subject, a ticket's title), else the header's user name.
  const TITLES = ["[data-conversation-title]", ".inbox-2__conversation-title", ".inbox2__conversation-title",
    "[data-inbox-conversation-header-title]"];
  const HEADER_NAMES = "[data-inbox-conversation-header-title], [data-conversation-user-name]";
  const DETAILS = ".inbox-2__conversation-details-sidebar, .inbox2__conversation-details-sidebar, [data-conversation-details]";
  const EMAIL_HEADERS = '.inbox-2__user-email-part, .inbox2__user-email-part, [class*="email-metadata"]';
  const COMPOSERS = [
    '[data-conversation-reply-composer] .ProseMirror[contenteditable="true"]',
    '.embercom-prosemirror-composer-editor[contenteditable="true"]',
    '.ProseMirror[contenteditable="true"]',
  ];


  function shownStream() {
    return Vouch.shown(STREAMS)[0] || null;
  }

  // The smallest ancestor of the stream that also holds a shown details sidebar: the
  // conversation's own panel, its title and its user's details.
  function panelOf(stream) {
    let node = stream.parentElement;
    while (node && node !== document.body && !Vouch.shown(DETAILS, node).length) node = node.parentElement;
    if (node && node !== document.body) return node;
    node = stream.parentElement;
    while (node && node !== document.body && !node.querySelector(TITLES.join(", "))) node = node.parentElement;
    return node || stream;
  }

  function titleOf(panel) {
    for (const selector of TITLES) {
      const title = Vouch.shown(selector, panel).find((t) => t.textContent.trim());
      if (title) return title.textContent.trim();
    }
    return "";
  }

  function conversationId() {
    const match = location.pathname.match(/\/conversations?\/(\d+)/);
    return match ? match[1] : "";
  }

  function key() {
    const stream = shownStream();
    return stream ? `intercom:${conversationId()}:${titleOf(panelOf(stream))}` : null;
  }

  // The details sidebar first: it names the user the conversation is with.
  function people(panel) {
    const sidebar = Vouch.shown(DETAILS, panel);
    const links = Vouch.shown('a[href^="mailto:" i]', panel).map((a) => a.getAttribute("href").slice(7).split("?")[0]);
    const texts = [...sidebar.map((s) => s.innerText), ...links, ...Vouch.shown(EMAIL_HEADERS, panel).map((e) => e.innerText)];
    const names = Vouch.shown(HEADER_NAMES, panel).map((n) => n.textContent.trim()).filter((n) => n && !n.includes("@"));
    return { emails: Vouch.emailsIn(texts.join(" ")), names: [...new Set(names)] };
  }

  function read() {
    const stream = shownStream();
    if (!stream) return null; // an inbox list, no conversation open
    const panel = panelOf(stream);
    const found = Vouch.shown(PARTS, stream);
    const parts = found.filter((p) => !found.some((other) => other !== p && other.contains(p)));
    const texts = parts.length ? parts.map((p) => (p.querySelector(PART_TEXT) || p).innerText) : [stream.innerText];
    return {
      ...people(panel), subject: titleOf(panel), url: location.href, key: key(),
      text: Vouch.clip(texts.join("\n\n")),
    };
  }

  function replyBox() {
    const stream = shownStream();
    for (const scope of [stream && panelOf(stream), document].filter(Boolean)) {
      for (const selector of COMPOSERS) {
        const box = Vouch.shown(selector, scope)[0];
        if (box) return box;
      }
    }
    return null;
  }

  // Adapter health: an open conversation's stream must still hold its parts Intercom's way.
  const checks = { messages: () => Vouch.shown(PARTS, shownStream()).length > 0 };

  Vouch.registerAdapter({
    name: "intercom",
    label: "Intercom",
    checks,
    matches: () => /^app(\.(eu|au))?\.intercom\.com$/.test(location.hostname),
    key,
    read,
    replyBox,
    watch: (callback) => Vouch.watchPage(callback),
  });
})();

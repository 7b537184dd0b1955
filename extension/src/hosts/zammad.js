// Zammad, the open-source help desk, on the company's own domain (enabled in the options).
// Read from Zammad's own agent templates (app/views/ticket_zoom, layout_ref, customer_chat):
// the agent interface keeps every open ticket tab in the DOM as #content_permanent_Ticket-<id>,
// only the active one shown; its .ticketZoom holds the title (.ticket-title-update), one
// .ticket-article-item per article (sender in the class: customer / agent), its text either in
// .textBubble-content (mail) or straight in .textBubble > .article-text (notes, phone, social),
// its From line in a meta block that stays hidden (.article-content-meta.hide) and may name
// someone else entirely (a forwarding mailbox, or the agent on a social ticket); the customer
// tab of the sidebar (.sidebar[data-tab="customer"]) names the ticket's customer. The chat view
// (.chat-window: .chat-name, .chat-message--customer/--agent) and a customer's profile
// (#user/profile/<id>: .profile-window) are read too; a profile has no conversation.
// Zammad's newer desktop view (/desktop/tickets/<id>) is read from its data-test-id attributes.
// Only what the agent sees is read (Vouch.shown), and names come from the customer panel or
// the chat's header, never from message headers.
(() => {
  const Vouch = globalThis.Vouch;

  const CLASSIC = ".ticketZoom";
  const CLASSIC_TITLE = ".ticket-title-update, .js-objectTitle, .ticket-title h1";
  const ARTICLE = ".ticket-article-item";
  const ARTICLE_TEXT = ".textBubble-content, .textBubble > .article-text";
  const CUSTOMER_PANEL = '.sidebar[data-tab="customer"]';
  const CHAT = ".chat-window";
  const CHAT_MESSAGE = ".chat-body .chat-message";
  const PROFILE = /^#(user|organization)\/profile\/(\d+)/;
  const DESKTOP_ARTICLE = '[data-test-id^="article-bubble-body-"]';
  const DESKTOP_TITLE = 'header [role="heading"][aria-level="2"]';

  const text = (element) => (element ? element.innerText.replace(/\s+/g, " ").trim() : "");

  function classicTicket() {
    const zoom = Vouch.shown(CLASSIC)[0];
    const title = zoom && Vouch.shown(CLASSIC_TITLE, zoom)[0];
    if (!title) return null;
    const task = zoom.closest('[id^="content_permanent_Ticket"]');
    const id = (location.hash.match(/ticket\/zoom\/(\d+)/) || [])[1] || (task ? task.id.split("-").pop() : "");
    return { kind: "ticket", root: task || zoom.parentElement || zoom, id, title: text(title) };
  }

  function desktopTicket() {
    const id = (location.pathname.match(/\/desktop\/tickets\/(\d+)/) || [])[1];
    const title = id ? Vouch.shown(DESKTOP_TITLE)[0] : null;
    if (!title) return null;
    let root = title.parentElement;
    while (root && root !== document.body && !root.querySelector(DESKTOP_ARTICLE)) root = root.parentElement;
    return { kind: "desktop", root: root || document.body, id, title: text(title) };
  }

  // Several chats may be open side by side: the selected one, else the first that shows.
  function chat() {
    const windows = Vouch.shown(CHAT).filter((w) => Vouch.shown(".chat-name", w).length);
    const window = windows.find((w) => w.matches(".is-selected, :focus-within")) || windows[0];
    if (!window) return null;
    const name = text(Vouch.shown(".chat-name", window)[0]);
    return { kind: "chat", root: window, id: window.getAttribute("data-chat-id") || name, title: name };
  }

  function profile() {
    const match = location.hash.match(PROFILE);
    const window = match && Vouch.shown(".profile-window")[0];
    const name = window && Vouch.shown("h1", window)[0];
    return name ? { kind: "profile", root: window, id: `${match[1]}-${match[2]}`, title: text(name) } : null;
  }

  // What is in view: a ticket, a chat, a customer's profile, or null (dashboard, overviews).
  const inView = () => classicTicket() || desktopTicket() || chat() || profile();

  function key() {
    const view = inView();
    return view ? `zammad:${view.kind}:${view.id}:${view.title}` : null;
  }

  const addressesIn = (root) => Vouch.emailsIn([
    ...Vouch.shown('a[href^="mailto:" i]', root).map((a) => a.getAttribute("href")), root.innerText].join(" "));

  // The ticket's customer panel when its tab shows; else addresses the customer wrote (never an
  // agent's signature). No names from articles: their From lines are hidden and may be anyone.
  function ticketPeople(view) {
    const panel = Vouch.shown(CUSTOMER_PANEL, view.root)[0];
    if (panel) {
      const name = text(Vouch.shown("h3", panel)[0]);
      return { emails: addressesIn(panel), names: name ? [name] : [], handles: panelHandles(panel) };
    }
    const written = Vouch.shown(`${ARTICLE}.customer`, view.root).flatMap((a) => Vouch.shown(ARTICLE_TEXT, a));
    return { emails: Vouch.emailsIn(written.map((t) => t.innerText).join(" ")), names: [] };
  }

  // The customer panel's social and phone lines ("Twitter @mariasantos_nw", "Mobile +49 …"):
  // how a customer who never sent an email is known.
  const HANDLE_LABEL = /^(twitter|x|facebook|instagram|telegram|whatsapp|phone|mobile|fax|sms|signal)$/i;
  function panelHandles(panel) {
    return Vouch.shown(".sidebar-block", panel).flatMap((block) => {
      const label = block.querySelector("label");
      if (!label || !HANDLE_LABEL.test(text(label))) return [];
      return [text(block).slice(text(label).length).trim()].filter(Boolean);
    });
  }

  function chatPeople(view) {
    const info = Vouch.shown(".chat-window-info", view.root)[0];
    const written = Vouch.shown(`${CHAT_MESSAGE}.chat-message--customer`, view.root).map((m) => m.innerText);
    return { emails: info ? addressesIn(info) : Vouch.emailsIn(written.join(" ")), names: [view.title] };
  }

  function read() {
    const view = inView();
    if (!view) return null;
    if (view.kind === "profile") {
      // A customer's profile: who they are, and no conversation to suggest cards from.
      const details = Vouch.shown(".profile-details", view.root)[0];
      return Vouch.context({ emails: details ? addressesIn(details) : [], names: [view.title],
                             handles: [`zammad:${location.hash.match(PROFILE)[2]}`], subject: "", texts: [], key: key() });
    }
    let people = { emails: Vouch.emailsIn(Vouch.shown('a[href^="mailto:" i]', view.root)
      .map((a) => a.getAttribute("href")).join(" ")), names: [] };
    let bodies;
    if (view.kind === "ticket") {
      bodies = Vouch.shown(ARTICLE, view.root).flatMap((article) => Vouch.shown(ARTICLE_TEXT, article));
      people = ticketPeople(view);
    } else if (view.kind === "chat") {
      bodies = Vouch.shown(CHAT_MESSAGE, view.root);
      people = chatPeople(view);
    } else {
      bodies = Vouch.shown(DESKTOP_ARTICLE, view.root);
    }
    return Vouch.context({ emails: people.emails, names: people.names, handles: people.handles,
                           subject: view.kind === "chat" ? "" : view.title,
                           texts: bodies.map((body) => body.innerText), key: key() });
  }

  function replyBox() {
    const view = inView();
    if (!view || view.kind === "profile") return null;
    const editor = '.articleNewEdit-body[contenteditable="true"], .article-new [contenteditable="true"][data-name="body"], '
      + '.chat-input[contenteditable="true"], [data-test-id="article-reply"] [contenteditable="true"], '
      + '.ProseMirror[contenteditable="true"]';
    return Vouch.shown(editor, view.root)[0] || null;
  }

  // Adapter health: a ticket in view must still have articles with text, and a customer tab.
  const ticketOnly = (check) => () => {
    const view = inView();
    return !view || view.kind !== "ticket" || check(view);
  };
  const checks = {
    conversation: ticketOnly((view) => Vouch.shown(".ticket-article", view.root).length > 0),
    messages: ticketOnly((view) => Vouch.shown(ARTICLE, view.root).some((a) => Vouch.shown(ARTICLE_TEXT, a).length)),
    customer: ticketOnly((view) => view.root.querySelector(CUSTOMER_PANEL) !== null),
  };

  // No fixed host name: Zammad is recognised by its markup. Until its single-page app has
  // drawn a view this is false, and content.js asks again on each page change.
  function matches() {
    return Boolean(document.querySelector(`${CLASSIC}, [id^="content_permanent_Ticket"], ${CHAT} .chat-body`))
      || (PROFILE.test(location.hash) && Boolean(document.querySelector(".profile-window")))
      || (/^\/desktop\/tickets\//.test(location.pathname) && Boolean(document.querySelector(DESKTOP_ARTICLE)));
  }

  Vouch.registerAdapter({
    name: "zammad",
    label: "Zammad",
    matches,
    key,
    read,
    replyBox,
    checks,
    watch: (callback) => Vouch.watchPage(callback),
  });
})();

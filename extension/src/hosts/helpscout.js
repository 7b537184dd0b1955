// Help Scout's conversation view (secure.helpscout.net/conversation/<id>/<number>/), modelled
// on the product's page as of 2026: the subject heading above the thread list
// (ol[aria-label="Thread Items"] / [data-testid="ThreadContainer"]), one div[id^="thread-"]
// per message with the author in span[data-nocollapse] and the text in .thread-content, the
// customer card in the sidebar ([data-cy="customer-sidebar"]) with mailto: links, and the
// Slate reply editor in [data-cy="ConvoEditor"]. The app keeps the mailbox list and earlier
// conversations in the DOM, so everything is read from the conversation that shows.
(() => {
  const Vouch = globalThis.Vouch;

  const SUBJECT = '[data-testid="conversation-subject"], [data-cy="ConvoSubject"], h1.c-conversation-subject, #subjectLine';
  const THREADS = '[data-testid="ThreadContainer"], ol[aria-label="Thread Items"], .c-thread-list';
  const MESSAGE = 'div[id^="thread-"], article.thread';
  const MESSAGE_TEXT = '.thread-content, .messageBody, [data-testid="thread-content"]';
  const CUSTOMER_CARD = '[data-cy="customer-sidebar"], [data-testid="customer-sidebar"], .c-conversation-sidebar, .sidebar-customer';
  const REPLY = '[data-cy="ConvoEditor"] [contenteditable="true"], [data-testid="reply-editor"] [contenteditable="true"], '
    + '[role="textbox"][aria-label="Reply Editor"], [data-slate-editor="true"]';


  function shownSubject() {
    return Vouch.shown(SUBJECT)[0] || null;
  }

  // The smallest ancestor of the subject that also holds the thread.
  function conversationOf(subject) {
    let node = subject.parentElement;
    while (node && node !== document.body && !node.querySelector(THREADS)) node = node.parentElement;
    return node || document.body;
  }

  function conversationId() {
    const match = location.pathname.match(/\/conversation\/(\d+)/);
    return match ? match[1] : "";
  }

  function key() {
    const subject = shownSubject();
    return subject ? `helpscout:${conversationId()}:${subject.textContent.trim()}` : null;
  }

  function addressOf(link) {
    try { return decodeURIComponent(link.getAttribute("href").slice(7).split("?")[0]); }
    catch { return ""; }
  }

  // The customer card: mailto: links first, then any address written in it.
  function customer() {
    const card = Vouch.shown(CUSTOMER_CARD)[0];
    if (!card) return { emails: [], names: [] };
    const links = [...card.querySelectorAll('a[href^="mailto:" i]')];
    const emails = Vouch.emailsIn([...links.map(addressOf), card.textContent].join(" "));
    const nameNode = card.querySelector('[data-testid="customer-name"], [data-cy="customer-name"], .c-customer-name, h2, h3');
    return { emails, names: nameNode ? [nameNode.textContent.trim()] : [] };
  }

  function read() {
    const subject = shownSubject();
    if (!subject) return null; // the mailbox list, not a conversation
    const conversation = conversationOf(subject);
    const messages = Vouch.shown(MESSAGE, conversation);
    const texts = messages.map((m) => m.querySelector(MESSAGE_TEXT) || m).map((node) => node.innerText);
    const authors = messages
      .filter((m) => /customer/i.test(`${m.className} ${m.getAttribute("aria-label") || ""}`))
      .map((m) => m.querySelector('span[data-nocollapse="true"]'))
      .filter(Boolean).map((span) => span.textContent.trim());
    const card = customer();
    return Vouch.context({
      emails: card.emails, names: [...new Set([...card.names, ...authors].filter(Boolean))],
      subject: subject.textContent.trim(), texts, key: key(),
    });
  }

  function replyBox() {
    return Vouch.shown(REPLY)[0] || null;
  }

  // What an open conversation must show (adapter health): its thread, the messages' text, the customer card.
  const thread = () => conversationOf(shownSubject());
  const checks = {
    conversation: () => Vouch.shown(THREADS, thread()).length > 0,
    messages: () => Vouch.shown(MESSAGE_TEXT, thread()).length > 0,
    customer: () => Vouch.shown(CUSTOMER_CARD).length > 0,
  };

  Vouch.registerAdapter({
    name: "helpscout",
    label: "Help Scout",
    checks,
    matches: () => location.hostname === "secure.helpscout.net",
    key,
    read,
    replyBox,
    watch: (callback) => Vouch.watchPage(callback),
  });
})();

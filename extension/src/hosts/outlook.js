// Outlook on the web (outlook.office.com, outlook.office365.com, outlook.live.com),
// modelled on its page as of 2026. The open message or thread is the reading pane
// ([data-app-section="MailReadCompose"], #ReadingPaneContainerId, or a region/main
// labelled "Reading pane"); its subject is the pane's [role="heading"]; each message's
// text is a div[aria-label="Message body"][role="document"]. People are persona
// elements whose address is often only in an attribute: title="maria.santos@…" or
// aria-label="From: Maria Santos <maria.santos@…>". The message list beside the pane
// (and panes Outlook keeps hidden) hold other customers, so all is read inside the
// reading pane that shows. Generated class names (.OZZZK, .f77rj) are never used.
(() => {
  const Vouch = globalThis.Vouch;

  const PANES = [
    '[data-app-section="MailReadCompose"]', "#ReadingPaneContainerId",
    '[data-app-section="ConversationContainer"]', '[role="region"][aria-label*="reading pane" i]',
    '[role="main"][aria-label*="reading pane" i]',
  ].join(",");
  const SUBJECTS = [
    '[role="heading"][aria-level="2"]', '[data-app-section="SubjectLine"]', '[role="heading"]',
  ];
  const BODIES = 'div[aria-label="Message body"], div[role="document"][aria-label*="message body" i]';
  // Personas carry the address in an attribute; a header line may show it as text instead.
  const PEOPLE = ['[title*="@"]', '[aria-label*="@"]', 'a[href^="mailto:" i]', "[data-email]",
                  '[aria-label^="From:" i]', '[aria-label^="To:" i]', '[aria-label^="Cc:" i]'].join(",");
  const ROLE_PREFIX = /^\s*(from|to|cc|bcc|sender|sent by)\s*:\s*/i;

  const isBodyOrEditor = (el) => Boolean(el.closest(`${BODIES}, [contenteditable="true"]`));

  // The reading pane that shows and holds a conversation (a subject or a message body).
  function readingPane() {
    const panes = Vouch.shown(PANES);
    const full = panes.find((pane) => pane.querySelector(BODIES) || pane.querySelector('[role="heading"]'));
    // The outermost match: the containers nest, and the subject sits above the messages.
    return full ? panes.find((pane) => pane.contains(full)) || full : null;
  }

  function subjectIn(pane) {
    for (const selector of SUBJECTS) {
      const heading = Vouch.shown(selector, pane).find((el) => !isBodyOrEditor(el) && el.textContent.trim());
      if (heading) return heading;
    }
    return null;
  }

  // /mail/inbox/id/AAQk…, /mail/0/sentitems/id/AAQk…, /mail/deeplink/read/AAQk…: the item
  // id follows "id" or "read"; else the selected list row's data-convid.
  function conversationId() {
    const parts = location.pathname.split("/");
    const at = parts.findIndex((part) => part === "id" || part === "read");
    if (at >= 0 && parts[at + 1]) return parts[at + 1];
    const selected = document.querySelector('[data-convid][aria-selected="true"]');
    return selected ? selected.getAttribute("data-convid") : "";
  }

  function key() {
    const pane = readingPane();
    const subject = pane && subjectIn(pane);
    return subject ? `outlook:${conversationId()}:${subject.textContent.trim()}` : null;
  }

  function addressesOf(el) {
    const href = el.getAttribute("href") || "";
    const mailto = /^mailto:/i.test(href) ? safeDecode(href.slice(7).split("?")[0]) : "";
    return Vouch.emailsIn([el.getAttribute("data-email"), el.getAttribute("title"),
                           el.getAttribute("aria-label"), mailto, el.textContent.slice(0, 300)].join(" "));
  }

  function safeDecode(text) {
    try { return decodeURIComponent(text); } catch { return text; }
  }

  // "Maria Santos <maria.santos@…>", "From: Maria Santos", or the visible name.
  function nameOf(el) {
    const strip = (text) => String(text || "").replace(/<[^>]*>/g, "").replace(/\S+@\S+/g, "")
      .replace(ROLE_PREFIX, "").replace(/[;,()]+$/, "").trim();
    return [el.textContent, el.getAttribute("aria-label"), el.getAttribute("title")].map(strip).find(Boolean) || "";
  }

  function read() {
    const pane = readingPane();
    const subject = pane && subjectIn(pane);
    if (!subject) return null; // the message list alone, no conversation open
    const people = Vouch.shown(PEOPLE, pane).filter((el) => !isBodyOrEditor(el));
    const emails = [];
    const names = [];
    for (const person of people) {
      const found = addressesOf(person);
      if (!found.length) continue;
      emails.push(...found);
      const name = nameOf(person);
      if (name) names.push(name);
    }
    const bodies = Vouch.shown(BODIES, pane).filter((body) => !body.closest('[contenteditable="true"]'));
    const text = bodies.map((body) => body.innerText).join("\n\n");
    return {
      emails: [...new Set([...emails, ...(emails.length ? [] : Vouch.emailsIn(text))])],
      names: [...new Set(names)],
      subject: subject.textContent.trim(), url: location.href, key: key(),
      text: Vouch.clip(text),
    };
  }

  // The inline reply (or a pop-out draft) being written: Outlook labels its editor
  // "Message body, press Alt+F10 to exit".
  function replyBox() {
    const editors = Vouch.shown('[contenteditable="true"][aria-label^="Message body" i], [contenteditable="true"][role="textbox"]');
    const pane = readingPane();
    return editors.find((el) => pane && pane.contains(el)) || editors[0] || null;
  }

  // Adapter health: an open conversation's reading pane must still show a message body.
  const checks = {
    messages: () => Vouch.shown(BODIES, readingPane()).some((body) => !body.closest('[contenteditable="true"]')),
  };

  Vouch.registerAdapter({
    name: "outlook",
    label: "Outlook",
    checks,
    matches: () => ["outlook.office.com", "outlook.office365.com", "outlook.live.com"].includes(location.hostname),
    key,
    read,
    replyBox,
    watch: (callback) => Vouch.watchPage(callback),
  });
})();

// Freshdesk's ticket details view (<company>.freshdesk.com/a/tickets/<id>), modelled on the
// product's page as of 2026: the subject in .ticket-subject-heading, the requester's contact
// widget ([data-test-id="requester-info-contact-email"] .info-details-content, names in
// [data-test-id="user-name"]), the first message in #ticket_original_request and each reply in
// .ticket-details__item__content, and the Froala reply editor (.fr-element). The app keeps the
// ticket list and earlier tickets in the DOM, so only what shows is read.
(() => {
  const Vouch = globalThis.Vouch;

  const SUBJECT = '.ticket-subject-heading, [data-test-id="ticket-subject"], [data-test-id="ticket-title"]';
  const MESSAGES = '#ticket_original_request, [data-test-id="ticket-description"], .ticket-details__item__content, '
    + '[data-test-id="conversation-text"], .conversation-text';
  const REQUESTER = '[data-test-id="requester-info"], .widget-requestor-info, .requester-wrap, .contact-info-widget';
  const REQUESTER_EMAIL = '[data-test-id="requester-info-contact-email"] .info-details-content, '
    + '[data-test-id="requester-info-contact-email"], a[href^="mailto:" i]';
  const NAME = '[data-test-id="user-name"], [data-test-id="requester-info-name"], .requester-name';
  const REPLY = '.fr-element.fr-view[contenteditable="true"], [data-test-id="reply-editor"] [contenteditable="true"], '
    + '.redactor_editor[contenteditable="true"], .redactor-editor[contenteditable="true"]';

  const ticketId = () => (location.pathname.match(/\/a\/tickets\/(\d+)/) || [])[1] || null;

  function shownSubject() {
    return ticketId() ? Vouch.shown(SUBJECT)[0] || null : null;
  }

  function key() {
    const subject = shownSubject();
    return subject ? `freshdesk:${ticketId()}:${subject.textContent.trim()}` : null;
  }

  // The smallest ancestor of the subject that also holds the conversation.
  function ticketOf(subject) {
    let node = subject.parentElement;
    while (node && node !== document.body && !node.querySelector(MESSAGES)) node = node.parentElement;
    return node || document.body;
  }

  // Each message once, even where one selector's element sits inside another's.
  function messagesIn(ticket) {
    const found = Vouch.shown(MESSAGES, ticket);
    return found.filter((node) => !found.some((other) => other !== node && other.contains(node)));
  }

  function requester(ticket) {
    const widget = Vouch.shown(REQUESTER)[0];
    const scope = widget || ticket;
    const emails = Vouch.emailsIn(Vouch.shown(REQUESTER_EMAIL, scope).map((node) => node.getAttribute("href") || node.textContent).join(" "));
    const names = [...Vouch.shown(NAME, scope), ...Vouch.shown(`.sender-info ${NAME}`, ticket)].map((node) => node.textContent.trim());
    return { emails, names: [...new Set(names.filter((name) => name && !name.includes("@")))] };
  }

  function read() {
    const subject = shownSubject();
    if (!subject) return null; // the ticket list, not a ticket
    const ticket = ticketOf(subject);
    const texts = messagesIn(ticket).map((node) => node.innerText);
    const person = requester(ticket);
    return Vouch.context({
      emails: person.emails, names: person.names,
      subject: subject.textContent.trim(), texts, key: key(),
    });
  }

  function replyBox() {
    return Vouch.shown(REPLY)[0] || null;
  }

  // *.freshdesk.com, or a help desk on its own domain (enabled in the options) showing a ticket.
  function matches() {
    if (location.hostname.endsWith(".freshdesk.com")) return true;
    return /\/a\/tickets\//.test(location.pathname) && Boolean(document.querySelector(".ticket-subject-heading, #ticket_original_request"));
  }

  // What an open ticket must show (adapter health): its messages, and who asked.
  const checks = {
    messages: () => messagesIn(ticketOf(shownSubject())).length > 0,
    customer: () => Vouch.shown(REQUESTER).length > 0 || Vouch.shown(NAME).length > 0,
  };

  Vouch.registerAdapter({
    name: "freshdesk",
    label: "Freshdesk",
    checks,
    matches,
    key,
    read,
    replyBox,
    watch: (callback) => Vouch.watchPage(callback),
  });
})();

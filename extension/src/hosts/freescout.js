// FreeScout, the open-source help desk, on the company's own domain (enabled in the options).
// Modelled on the product's page as of 2026, read from FreeScout's own templates
// (resources/views/conversations/view.blade.php and partials): <body class="body-conv"
// data-conversation_id>, #conv-layout with the subject in #conv-subject .conv-subjtext > span,
// the customer card in #conv-layout-customer (.customer-snippet: .customer-name and
// .customer-email .contact-main), one .thread[data-thread_id] per message in #conv-layout-main
// (customer messages are .thread-type-customer, text in .thread-content), and the reply form
// (.conv-reply-block, a Summernote editor: .note-editable).
(() => {
  const Vouch = globalThis.Vouch;


  function layout() {
    return Vouch.shown("#conv-layout")[0] || null;
  }

  function shownSubject(root) {
    if (!root) return null;
    return Vouch.shown(".conv-subjtext > span", root)[0] || Vouch.shown("#conv-subject .conv-subjtext", root)[0] || null;
  }

  function conversationId() {
    return document.body.dataset.conversation_id || (location.pathname.match(/\/conversation\/(\d+)/) || [])[1] || "";
  }

  function key() {
    const subject = shownSubject(layout());
    return subject ? `freescout:${conversationId()}:${subject.textContent.trim()}` : null;
  }

  // The customer card, then the customer's own messages.
  function customer(root) {
    const card = Vouch.shown("#conv-layout-customer .customer-snippet, .conv-customer-block", root)[0];
    const addresses = card
      ? [...card.querySelectorAll('.customer-email, a[href^="mailto:" i]')].map((node) => `${node.getAttribute("href") || ""} ${node.textContent}`)
      : [];
    const cardName = card && card.querySelector(".customer-name");
    const authors = Vouch.shown(".thread.thread-type-customer .thread-person strong", root).map((node) => node.textContent.trim());
    const profile = card && card.querySelector('a[href*="/customers/"]');
    return {
      emails: Vouch.emailsIn(addresses.join(" ")),
      names: [...new Set([cardName ? cardName.textContent.trim() : "", ...authors].filter(Boolean))],
      handles: [Vouch.idHandle("freescout", profile, /\/customers\/(\d+)/)].filter(Boolean),
    };
  }

  function read() {
    const root = layout();
    const subject = shownSubject(root);
    if (!subject) return null; // a folder's list of conversations, not one conversation
    const threads = Vouch.shown("#conv-layout-main .thread[data-thread_id], #conv-layout-main .thread", root);
    const texts = threads.map((thread) => (thread.querySelector(".thread-content") || thread).innerText);
    const person = customer(root);
    return Vouch.context({
      emails: person.emails, names: person.names, handles: person.handles,
      subject: subject.textContent.trim(), texts, key: key(),
    });
  }

  // The reply (or note) form once opened: Summernote's editable, or the textarea in code view.
  function replyBox() {
    return Vouch.shown('.conv-reply-block .note-editable[contenteditable="true"], .conv-reply-block textarea#body')[0] || null;
  }

  // No fixed host name: FreeScout is recognised by its conversation layout.
  function matches() {
    return Boolean(document.querySelector("#conv-layout-main") && document.querySelector("#conv-layout-customer, #conv-subject"));
  }

  // Adapter health: an open conversation must still show its threads' text and the customer card.
  const checks = {
    messages: () => Vouch.shown("#conv-layout-main .thread .thread-content", layout()).length > 0,
    customer: () => Vouch.shown("#conv-layout-customer .customer-snippet, .conv-customer-block", layout()).length > 0,
  };

  Vouch.registerAdapter({
    name: "freescout",
    label: "FreeScout",
    checks,
    matches,
    key,
    read,
    replyBox,
    watch: (callback) => Vouch.watchPage(callback),
  });
})();

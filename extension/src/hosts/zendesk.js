// Zendesk's agent workspace, modelled on *.zendesk.com/agent/tickets/<id> as of 2026.
// Every ticket tab opened in the header ([data-test-id="header-tab"]) keeps its own
// workspace in the DOM ([data-ticket-id] / div.workspace), hidden unless selected, so
// everything is read from the workspace that shows: the subject input
// (omni-header-subject, ticket-pane-subject before it), the requester field
// (ticket-system-field-requester-select) and customer context, the conversation log
// (omni-log-container → article omni-log-comment-item → omni-log-message-content), and
// the CKEditor reply (omnicomposer-rich-text-ckeditor). Zendesk's data-test-id
// attributes outlive its generated class names; each has a fallback.
(() => {
  const Vouch = globalThis.Vouch;

  const WORKSPACES = "[data-ticket-id], [data-side-conversations-anchor-id], .workspace";
  const SUBJECTS = [
    'input[data-test-id="omni-header-subject"]', 'input[data-test-id="ticket-pane-subject"]',
    '[data-test-id="ticket-pane-subject"] input', 'input[aria-label="Subject"]', 'input[name="subject"]',
  ].join(", ");
  const LOG = '[data-test-id="omni-log-container"], [data-test-id="ticket-main-conversation"]';
  const COMMENTS = 'article[data-test-id="omni-log-comment-item"], [data-test-id="ticket-comment"], .event.event-comment';
  const COMMENT_TEXT = '[data-test-id="omni-log-message-content"], [data-test-id="omni-log-item-message"], .zd-comment';
  const REQUESTER = '[data-test-id="ticket-system-field-requester-select"], [data-test-id="requester-field"]';
  const CONTACT = [
    '[data-test-id="customer-context-email"]', '[data-test-id="requester-email"]',
    '[data-test-id="customer-context-name"]', 'a[href^="mailto:" i]', '[data-garden-id="tags.avatar"][alt]',
  ].join(", ");
  const EDITORS = [
    '[data-test-id="omnicomposer-rich-text-ckeditor"][contenteditable="true"]',
    '[data-test-id="omnicomposer-plain-text-ckeditor"][contenteditable="true"]',
    '[data-test-id="ticket-rich-text-editor"] [contenteditable="true"]',
    '.ck-editor__editable[contenteditable="true"]',
    '[contenteditable="true"][role="textbox"]',
  ];

  const shown = (scope, selector) => Vouch.shown(selector, scope)[0] || null;

  // The selected ticket's workspace: the shown one holding a subject; else the smallest
  // ancestor of the shown subject that also holds the conversation log.
  function shownWorkspace() {
    const workspace = [...document.querySelectorAll(WORKSPACES)]
      .find((w) => Vouch.isShown(w) && w.querySelector(SUBJECTS) && w.querySelector(LOG));
    if (workspace) return workspace;
    const subject = shown(document, SUBJECTS);
    let node = subject && subject.parentElement;
    while (node && node !== document.body && !node.querySelector(LOG)) node = node.parentElement;
    return subject ? node || document.body : null;
  }

  function ticketId(workspace) {
    const inUrl = location.pathname.match(/\/agent\/tickets\/(\d+)/);
    return workspace.getAttribute("data-ticket-id") || workspace.getAttribute("data-side-conversations-anchor-id")
      || (inUrl ? inUrl[1] : "");
  }

  function subjectOf(workspace) {
    const input = shown(workspace, SUBJECTS);
    return input ? (input.value || input.textContent || "").trim() : "";
  }

  function key() {
    const workspace = shownWorkspace();
    return workspace ? `zendesk:${ticketId(workspace)}:${subjectOf(workspace)}` : null;
  }

  // The requester first (the server takes the first address it knows), then the contact
  // details the workspace shows, then whoever wrote in the log (their addresses; their
  // names only when no requester shows).
  function people(workspace) {
    const requester = shown(workspace, REQUESTER);
    const contacts = [...workspace.querySelectorAll(CONTACT)].filter(Vouch.isShown);
    const senders = [...workspace.querySelectorAll('[data-test-id="omni-log-item-sender"], [data-test-id="omni-log-comment-user-link"]')]
      .filter(Vouch.isShown);
    const texts = [
      requester ? `${requester.textContent} ${requester.getAttribute("title") || ""}` : "",
      ...contacts.map((c) => `${c.textContent} ${c.getAttribute("href") || ""} ${c.getAttribute("alt") || ""}`),
      ...senders.map((s) => `${s.textContent} ${s.getAttribute("title") || ""}`),
    ];
    const name = requester ? requester.textContent.replace(Vouch.emailsIn(requester.textContent)[0] || "", "").replace(/[<>()]/g, "").trim() : "";
    // Only the requester's name when the field shows one: the log's other senders are the
    // agents and any CCs, and an agent who is not a Vouch user could share a customer's name.
    const names = (name ? [name] : senders.map((s) => s.textContent.trim())).filter((n) => n && !n.includes("@"));
    // The requester's Zendesk user id, from a link to their profile that bears their name.
    const profile = name && senders.find((s) => s.textContent.trim() === name && s.matches("a[href]"));
    const handles = [Vouch.idHandle("zendesk", profile, /\/agent\/users\/(\d+)/)].filter(Boolean);
    return { emails: Vouch.emailsIn(texts.join(" ")), names: [...new Set(names)], handles };
  }

  function read() {
    const workspace = shownWorkspace();
    if (!workspace) return null; // a view or the dashboard, no ticket open
    const log = shown(workspace, LOG) || workspace;
    const comments = [...log.querySelectorAll(COMMENTS)].filter(Vouch.isShown);
    const texts = comments.length ? comments.map((c) => (c.querySelector(COMMENT_TEXT) || c).innerText) : [log.innerText];
    return {
      ...people(workspace), subject: subjectOf(workspace), url: location.href, key: key(),
      text: Vouch.clip(texts.join("\n\n")),
    };
  }

  function replyBox() {
    const workspace = shownWorkspace();
    for (const scope of [workspace, document].filter(Boolean)) {
      for (const selector of EDITORS) {
        const box = shown(scope, selector);
        if (box) return box;
      }
    }
    return null;
  }

  // What an open ticket must show (adapter health): its conversation log, the text of its
  // comments (a new ticket's empty log has none to find), and who asked.
  const checks = {
    conversation: () => shown(shownWorkspace(), LOG),
    messages: () => {
      const log = shown(shownWorkspace(), LOG);
      return Vouch.shown(COMMENT_TEXT, log).length > 0 || !log.innerText.trim();
    },
    customer: () => {
      const workspace = shownWorkspace();
      return shown(workspace, REQUESTER) || shown(workspace, CONTACT);
    },
  };

  // Switching ticket tabs mostly flips attributes: the selected tab, which workspace is hidden.
  const TAB_SWITCH = ["style", "class", "hidden", "aria-selected", "data-entity-is-selected"];

  Vouch.registerAdapter({
    name: "zendesk",
    label: "Zendesk",
    matches: () => /(^|\.)zendesk\.com$/.test(location.hostname),
    key,
    read,
    replyBox,
    checks,
    watch: (callback) => Vouch.watchPage(callback, 400, 2000, TAB_SWITCH),
  });
})();

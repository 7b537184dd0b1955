// Front's conversation view, modelled on app.frontapp.com as of 2026: the open
// conversation is a viewer (data-testid="viewer-<id>", class viewer__StyledViewerDiv…),
// its subject in [data-searchable-subject] (data-testid="conversationSubject" before
// that), each message a messageViewerBase__StyledMessageDiv… (role="article") whose
// sender handle reads "Name <address>" in messageViewerRecipient__StyledHandleSpan…,
// body in messageHtml__StyledHtmlDiv… / messageViewerEmailBody…. Styled-components
// class names keep their component prefix across deploys and lose their hash, so
// those are matched by prefix. Front keeps earlier viewers and the list pane in the
// DOM: everything is read from inside the viewer that shows.
(() => {
  const Vouch = globalThis.Vouch;

  const VIEWERS = '[data-testid^="viewer-"], [class*="viewer__StyledViewerDiv"]';
  const SUBJECTS = '[data-searchable-subject="true"], [data-testid="conversationSubject"], [class*="conversationHeader__StyledSubject"]';
  const MESSAGES = '[class*="messageViewerBase__StyledMessageDiv"], [role="article"], [data-testid="message"]';
  const HANDLES = '[class*="messageViewerRecipient__StyledHandleSpan"], [data-testid="recipientHandle"]';
  const SENDER_NAMES = '[class*="messageViewerRecipient__StyledDetailsWrapperDiv"] > :first-child, [data-testid="recipientName"]';
  const BODIES = '[class*="messageHtml__StyledHtmlDiv"], [class*="messageViewerEmailBody__StyledEmailDiv"], [data-testid="messageBody"]';
  const COMPOSERS = [
    '[data-testid="composer"] [contenteditable="true"]',
    '[class*="draftEditor"] [contenteditable="true"]',
    '.ProseMirror[contenteditable="true"]',
    '[contenteditable="true"][role="textbox"]',
  ];

  function shownViewer() {
    return [...document.querySelectorAll(VIEWERS)].find((v) => Vouch.isShown(v) && v.querySelector(SUBJECTS)) || null;
  }

  function subjectOf(viewer) {
    const subject = [...viewer.querySelectorAll(SUBJECTS)].find(Vouch.isShown);
    return subject ? subject.textContent.trim() : "";
  }

  // /inboxes/…/cnv_1a2b3c, /open/cnv_1a2b3c: the conversation id; else the viewer's own id.
  function conversationId(viewer) {
    const inUrl = location.pathname.match(/\/(cnv_[A-Za-z0-9]+)/);
    if (inUrl) return inUrl[1];
    return (viewer.getAttribute("data-testid") || "").replace(/^viewer-/, "");
  }

  function key() {
    const viewer = shownViewer();
    return viewer ? `front:${conversationId(viewer)}:${subjectOf(viewer)}` : null;
  }

  // Front shows a sender as "Maria Santos <maria@…>" or the bare address; mailto links
  // and data-email attributes carry contacts in the header and the recipients line.
  function peopleIn(viewer) {
    const handles = [...viewer.querySelectorAll(HANDLES)].filter(Vouch.isShown).map((h) => h.textContent);
    const links = [...viewer.querySelectorAll('a[href^="mailto:" i], [data-email]')].filter(Vouch.isShown)
      .map((a) => a.getAttribute("data-email") || a.getAttribute("href").slice(7).split("?")[0]);
    const emails = Vouch.emailsIn([...handles, ...links].join(" "));
    const names = [...viewer.querySelectorAll(SENDER_NAMES)].filter(Vouch.isShown)
      .map((n) => n.textContent.trim()).filter((n) => n && !n.includes("@"));
    return { emails, names: [...new Set(names)] };
  }

  function read() {
    const viewer = shownViewer();
    if (!viewer) return null; // the list of conversations, none open
    const found = [...viewer.querySelectorAll(MESSAGES)].filter(Vouch.isShown);
    const messages = found.filter((m) => !found.some((other) => other !== m && other.contains(m)));
    // Renamed message components fail the health check (content.js) before this is read.
    const bodies = messages.length ? messages.map((m) => (m.querySelector(BODIES) || m).innerText) : [viewer.innerText];
    const { emails, names } = peopleIn(viewer);
    return {
      emails, names, subject: subjectOf(viewer), url: location.href, key: key(),
      text: Vouch.clip(bodies.join("\n\n")),
    };
  }

  // The reply or draft being written under the conversation that shows.
  function replyBox() {
    const viewer = shownViewer();
    for (const scope of [viewer, document].filter(Boolean)) {
      for (const selector of COMPOSERS) {
        const box = [...scope.querySelectorAll(selector)].find(Vouch.isShown);
        if (box) return box;
      }
    }
    return null;
  }

  // Adapter health: an open conversation's viewer must still hold messages Front's way.
  const checks = { messages: () => Vouch.shown(MESSAGES, shownViewer()).length > 0 };

  Vouch.registerAdapter({
    name: "front",
    label: "Front",
    checks,
    matches: () => location.hostname === "app.frontapp.com",
    key,
    read,
    replyBox,
    watch: (callback) => Vouch.watchPage(callback),
  });
})();

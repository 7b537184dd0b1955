// Zammad, the open-source help desk, on the company's own domain (enabled in the options).
// Modelled on the product's page as of 2026, read from Zammad's own templates: the agent
// interface keeps every open ticket tab in the DOM as #content_permanent_Ticket-<id>, only the
// active one shown; its .ticketZoom holds the title (.ticket-title-update), one
// .ticket-article-item per article (sender in the class: customer / agent, the From line in
// .article-meta-value, the text in .textBubble-content), the reply being written
// (.articleNewEdit-body), and the customer tab of the sidebar (.sidebar[data-tab="customer"])
// with a mailto: link. Zammad's newer desktop view (/desktop/tickets/<id>) is read from its
// data-test-id attributes: article-bubble-body-<id> per article and the title heading.
(() => {
  const Vouch = globalThis.Vouch;

  const CLASSIC = ".ticketZoom";
  const CLASSIC_TITLE = '.ticket-title-update, .js-objectTitle, .ticket-title h1';
  const DESKTOP_ARTICLE = '[data-test-id^="article-bubble-body-"]';
  const DESKTOP_TITLE = 'header [role="heading"][aria-level="2"]';


  // The ticket in view: its container, its title and its id, or null on the dashboard or overviews.
  function ticketInView() {
    const zoom = Vouch.shown(CLASSIC)[0];
    if (zoom) {
      const title = zoom.querySelector(CLASSIC_TITLE);
      const task = zoom.closest('[id^="content_permanent_Ticket"]');
      const id = (location.hash.match(/ticket\/zoom\/(\d+)/) || [])[1] || (task ? task.id.split("-").pop() : "");
      const tab = task || zoom.parentElement || zoom;
      return title ? { root: tab, title, id, classic: true } : null;
    }
    const id = (location.pathname.match(/\/desktop\/tickets\/(\d+)/) || [])[1];
    const title = id ? Vouch.shown(DESKTOP_TITLE)[0] : null;
    if (!title) return null;
    let root = title.parentElement;
    while (root && root !== document.body && !root.querySelector(DESKTOP_ARTICLE)) root = root.parentElement;
    return { root: root || document.body, title, id, classic: false };
  }

  function key() {
    const ticket = ticketInView();
    return ticket ? `zammad:${ticket.id}:${ticket.title.textContent.trim()}` : null;
  }

  const linkAddresses = (root) => [...root.querySelectorAll('a[href^="mailto:" i]')].map((a) => a.getAttribute("href"));

  // Classic view: the customer tab of the sidebar, and the From line of the customer's articles
  // (kept in the DOM, folded away, so read as text).
  function classicPeople(root) {
    const card = root.querySelector('.sidebar[data-tab="customer"]');
    const fromLines = [...root.querySelectorAll(".ticket-article-item.customer .article-meta.top .article-meta-row")]
      .filter((row) => /from/i.test((row.querySelector(".article-meta-key") || {}).textContent || ""))
      .map((row) => (row.querySelector(".article-meta-value") || row).textContent);
    const emails = Vouch.emailsIn([...(card ? linkAddresses(card) : []), ...fromLines].join(" "));
    const cardName = card && card.querySelector('h3[title], .sidebar-block h3');
    const names = [cardName ? cardName.textContent.trim() : "",
      ...fromLines.map((line) => line.split("<")[0].trim())].filter((name) => name && !name.includes("@"));
    return { emails, names: [...new Set(names)] };
  }

  function read() {
    const ticket = ticketInView();
    if (!ticket) return null;
    const bodies = ticket.classic
      ? Vouch.shown(".ticket-article-item .textBubble-content", ticket.root)
      : Vouch.shown(DESKTOP_ARTICLE, ticket.root);
    const texts = bodies.map((body) => body.innerText);
    const people = ticket.classic ? classicPeople(ticket.root) : { emails: Vouch.emailsIn(linkAddresses(ticket.root).join(" ")), names: [] };
    return Vouch.context({
      emails: people.emails, names: people.names,
      subject: ticket.title.textContent.trim(), texts, key: key(),
    });
  }

  function replyBox() {
    const ticket = ticketInView();
    if (!ticket) return null;
    const editor = '.articleNewEdit-body[contenteditable="true"], .article-new [contenteditable="true"][data-name="body"], '
      + '[data-test-id="article-reply"] [contenteditable="true"], .ProseMirror[contenteditable="true"]';
    return Vouch.shown(editor, ticket.root)[0] || null;
  }

  // No fixed host name: Zammad is recognised by its ticket markup. Until its single-page app
  // has drawn a ticket this is false, and content.js asks again on each page change.
  function matches() {
    return Boolean(document.querySelector(`${CLASSIC}, [id^="content_permanent_Ticket"]`))
      || (/^\/desktop\/tickets\//.test(location.pathname) && Boolean(document.querySelector(DESKTOP_ARTICLE)));
  }

  Vouch.registerAdapter({
    name: "zammad",
    matches,
    key,
    read,
    replyBox,
    watch: (callback) => Vouch.watchPage(callback),
  });
})();

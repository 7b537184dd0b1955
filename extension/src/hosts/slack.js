// Slack (app.slack.com), modelled on its web client as of 2026. The open channel or DM
// is the primary view (.p-workspace__primary_view), named in its header
// ([data-qa="channel_name"], .p-view_header__channel_title, or the tab title
// "ext-northwind (Channel) - Acme - Slack"); a thread or a member's profile open beside
// it is the secondary view (.p-workspace__secondary_view, [data-qa="threads_flexpane"]).
// Messages are [data-qa="message_container"] / .c-message_kit__message, the sender in
// [data-qa="message_sender_name"], the text in [data-qa="message-text"] /
// .c-message_kit__blocks; addresses show as mailto: links, in messages and in a
// profile's email field. Slack keeps channels viewed before in the DOM, hidden: only
// views that show count. The customer is whoever's address is visible there, typically
// the other side of a shared (Slack Connect) channel.
(() => {
  const Vouch = globalThis.Vouch;

  const VIEWS = [
    ".p-workspace__primary_view", '[data-qa="message_pane"]', ".p-workspace__secondary_view",
    '[data-qa="threads_flexpane"]', ".p-flexpane",
  ].join(",");
  const PRIMARY = '.p-workspace__primary_view, [data-qa="message_pane"]';
  const TITLES = ['[data-qa="channel_name"]', ".p-view_header__channel_title", '[data-qa="channel_name_button"]',
                  ".p-view_header__text"];
  const MESSAGES = '[data-qa="message_container"], .c-message_kit__message';
  const TEXTS = ['[data-qa="message-text"]', ".c-message_kit__blocks", ".c-message__body", ".p-rich_text_section"];
  const SENDERS = '[data-qa="message_sender_name"], .c-message__sender_button, .c-message_kit__sender';
  const PROFILE_NAMES = '[data-qa="member_profile_name"], .p-r_member_profile__name__text';
  const COMPOSERS = '[data-qa="message_input"] [contenteditable="true"], .ql-editor[contenteditable="true"]';

  // The containers nest (a primary view holds the message pane): keep the outermost.
  const outermost = (nodes) => nodes.filter((node) => !nodes.some((other) => other !== node && other.contains(node)));
  const views = () => outermost(Vouch.shown(VIEWS));

  function safeDecode(text) {
    try { return decodeURIComponent(text); } catch { return text; }
  }

  // The channel or DM name: the header of the primary view that shows, else the tab title.
  function channelName() {
    const primary = outermost(Vouch.shown(PRIMARY))[0];
    if (!primary) return "";
    for (const selector of TITLES) {
      const title = Vouch.shown(selector, primary).find((el) => el.textContent.trim());
      if (title) return title.textContent.trim().replace(/^#\s*/, "");
    }
    return document.title.split(" - ")[0].replace(/\s*\((channel|dm|direct message|private channel)\)\s*$/i, "").trim();
  }

  const mailtoLinks = (root) => Vouch.shown('a[href^="mailto:" i]', root);
  const addressOf = (link) => safeDecode(link.getAttribute("href").slice(7).split("?")[0]);

  // /client/T…/C… and /client/T…/C…/thread/C…-1700000000.000100 name the channel and
  // the thread; a profile opened beside it changes who the customer is, so it counts too.
  function key() {
    const name = channelName();
    if (!name) return null;
    const beside = views().filter((view) => !view.matches(PRIMARY));
    const profile = beside.flatMap(mailtoLinks).map(addressOf).join(",");
    return `slack:${location.pathname}:${name}:${profile}`;
  }

  function textOf(message) {
    for (const selector of TEXTS) {
      const parts = outermost([...message.querySelectorAll(selector)]);
      if (parts.length) return parts.map((part) => part.innerText).join("\n");
    }
    return "";
  }

  function read() {
    const subject = channelName();
    if (!subject) return null; // no channel, DM or thread open
    const open = views();
    // An open thread or profile first: it is what the agent is looking at now.
    open.sort((a, b) => Number(a.matches(PRIMARY)) - Number(b.matches(PRIMARY)));
    const messages = open.flatMap((view) => outermost(Vouch.shown(MESSAGES, view)));
    const texts = messages.map(textOf).filter(Boolean);
    const linked = open.flatMap(mailtoLinks).map(addressOf);
    const emails = [...new Set([...Vouch.emailsIn(linked.join(" ")), ...Vouch.emailsIn(texts.join(" "))])];
    const people = open.flatMap((view) => [...Vouch.shown(PROFILE_NAMES, view), ...Vouch.shown(SENDERS, view)]);
    const names = [...new Set(people.map((el) => el.textContent.trim()).filter((name) => name && !name.includes("@")))];
    // In Slack a display name is the person's handle there: a Slack Connect customer is known by it.
    return { emails, names, handles: names, subject, url: location.href, key: key(),
             text: Vouch.clip(texts.join("\n\n")) };
  }

  // The message being written: the composer the agent is in, else the thread's, else the channel's.
  function replyBox() {
    const composers = views().flatMap((view) => Vouch.shown(COMPOSERS, view));
    const active = document.activeElement;
    return composers.find((box) => box === active || box.contains(active))
      || composers.find((box) => !box.closest(PRIMARY)) || composers[0] || null;
  }

  // Adapter health: a channel in view shows its views, and if it lists anything, some message
  // whose text can be read (an empty new DM lists nothing and is fine; a file-only message
  // has no text, so one readable message among them is enough).
  const ITEMS = '[data-qa="virtual-list-item"], .c-virtual_list__item';
  const checks = {
    conversation: () => views().length > 0,
    messages: () => {
      const open = views();
      if (!open.some((view) => Vouch.shown(ITEMS, view).length)) return true;
      return open.flatMap((view) => outermost(Vouch.shown(MESSAGES, view))).some((m) => textOf(m).trim());
    },
  };

  Vouch.registerAdapter({
    name: "slack",
    label: "Slack",
    checks,
    matches: () => location.hostname === "app.slack.com",
    key,
    read,
    replyBox,
    watch: (callback) => Vouch.watchPage(callback),
  });
})();

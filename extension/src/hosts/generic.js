// Any page the user enabled: the page's main conversation region, read only when the page
// looks like one. Navigation, forms, menus, tables (of statistics, usually), the page's chrome
// and anything hidden are left out; a page of labels, menus and numbers (a profile, a settings
// form) sends its people but no conversation text, so no cards are suggested from its words.
(() => {
  const Vouch = globalThis.Vouch;

  const IGNORED = [
    "nav", "form", "menu", "table", "header", "footer", "aside", "button", "select", "label", "input", "textarea",
    "script", "style", "noscript", "template", "[contenteditable]", '[role="navigation"]', '[role="menu"]',
    '[role="menubar"]', '[role="search"]', '[role="tablist"]', '[role="toolbar"]', '[role="banner"]',
    '[role="contentinfo"]', '[role="complementary"]', '[role="dialog"]', "vouch-sidebar",
  ].join(", ");
  const BLOCK = "p, li, blockquote, pre, h1, h2, h3, h4, h5, h6, dd, dt, div, td, article, section, main, body";
  const REGION = 'main, [role="main"]';
  // A sentence someone wrote: six words ending like a sentence, or twelve words in a row.
  const PROSE_WORDS = 6;
  const LONG_WORDS = 12;
  const CONFIDENT_WORDS = 12; // this many words of prose, in all, make a conversation

  const mailtoLinks = () => [...document.querySelectorAll('a[href^="mailto:" i]')];

  function addressOf(link) {
    try { return decodeURIComponent(link.getAttribute("href").slice(7).split("?")[0]); }
    catch { return ""; } // a malformed %-escape on someone else's page is not our error
  }

  // Cheap on purpose: the address, the title and the links change with the conversation.
  function key() {
    return `generic:${location.href}:${document.title}:${mailtoLinks().map(addressOf).join(",")}`;
  }

  // The conversation region: the main landmark that shows, else the smallest element holding
  // every shown article (a thread of messages), else the whole page.
  function region() {
    const main = Vouch.shown(REGION)[0];
    if (main) return main;
    const articles = Vouch.shown('article, [role="article"]');
    let holder = articles[0] ? articles[0].parentElement : null;
    while (holder && !articles.every((article) => holder.contains(article))) holder = holder.parentElement;
    return holder || document.body;
  }

  // The region's visible text, block by block, leaving out the page's chrome.
  function blocks(root) {
    const shown = new Map();
    const isShown = (element) => {
      if (!shown.has(element)) shown.set(element, Vouch.isShown(element));
      return shown.get(element);
    };
    const texts = new Map();
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const words = node.nodeValue.replace(/\s+/g, " ").trim();
      if (!words || !parent || parent.closest(IGNORED) || !isShown(parent)) continue;
      const block = parent.closest(BLOCK) || root;
      texts.set(block, `${texts.get(block) || ""} ${words}`);
    }
    return [...texts.values()].map((text) => text.trim());
  }

  function isProse(text) {
    const words = text.split(" ").filter((word) => /\p{L}/u.test(word)).length;
    return words >= LONG_WORDS || (words >= PROSE_WORDS && /[.?!。？！]["')\]]?$/.test(text));
  }

  // Confident there is a conversation: enough prose, not just labels, menu items and figures.
  function conversationIn(texts) {
    const prose = texts.filter(isProse);
    const words = prose.join(" ").split(" ").length;
    return words >= CONFIDENT_WORDS ? prose : [];
  }

  function read() {
    const links = mailtoLinks().filter(Vouch.isShown);
    const texts = blocks(region());
    const conversation = conversationIn(texts);
    const emails = Vouch.withoutRobots([...new Set([...Vouch.emailsIn(links.map(addressOf).join(" ")),
                                                    ...Vouch.emailsIn(texts.join(" "))])]);
    const names = [...new Set(links.map((a) => a.textContent.trim()).filter((name) => name && !name.includes("@")))];
    return { emails, names, subject: conversation.length ? document.title : "", text: Vouch.clip(conversation.join("\n")),
             url: location.href, key: key() };
  }

  Vouch.registerAdapter({
    name: "generic",
    label: "page",
    matches: () => true,
    key,
    read,
    watch: (callback) => Vouch.watchPage(callback, 600),
  });
})();

// Building the sidebar's DOM safely: text goes in as text; server HTML is sanitized
// again here (DOMPurify) before it is inserted, whatever the server promised.
(() => {
  const Vouch = globalThis.Vouch;

  Vouch.el = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  };

  const PURIFY = {
    ALLOWED_TAGS: ["p", "br", "hr", "strong", "em", "s", "del", "code", "pre", "blockquote", "ul", "ol", "li",
                   "a", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "mark",
                   "span"],
    // class and data-placeholder: a card's placeholders ({{customer.first_name}}) show as chips.
    ALLOWED_ATTR: ["href", "title", "start", "class", "data-placeholder"],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
    RETURN_DOM_FRAGMENT: true,
  };

  Vouch.safeHtml = (html) => {
    const fragment = DOMPurify.sanitize(String(html || ""), PURIFY);
    for (const link of fragment.querySelectorAll("a[href]")) {
      link.setAttribute("target", "_blank");
      link.setAttribute("rel", "noopener noreferrer");
    }
    return fragment;
  };

  // Search as the agent types: `find(text)` runs 250 ms after the last keystroke and its
  // answer goes to `show`, unless a later keystroke's search started meanwhile; an empty box
  // shows nothing. A failure is reported only for the latest search.
  Vouch.whileTyping = (input, { find, show, clear, report }) => {
    let timer = null;
    let latest = 0;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const text = input.value.trim();
        const ticket = ++latest;
        if (!text) { clear(); return; }
        try {
          const found = await find(text);
          if (ticket === latest) show(found, text);
        } catch (error) {
          if (ticket === latest) report(error);
        }
      }, 250);
    });
  };

  Vouch.send = async (type, payload = {}) => {
    const reply = await chrome.runtime.sendMessage({ type, ...payload });
    if (!reply) throw Object.assign(new Error(Vouch.t("errorNoAnswer")), { code: "no_reply" });
    if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
    return reply.result;
  };

  Vouch.badge = (item) => {
    const due = item.needs_verification;
    const state = item.status === "verified" && !due ? "Verified" : due && item.status === "verified" ? "Due" : "Unverified";
    return Vouch.el("span", { class: `badge ${state === "Verified" ? "ok" : "warn"}`, text: Vouch.t(`badge${state}`) });
  };
})();

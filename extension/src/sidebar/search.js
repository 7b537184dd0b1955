// Search as you type (debounced), results in place of the suggestions.
(() => {
  const { el, t } = globalThis.Vouch;
  const Vouch = globalThis.Vouch;

  Vouch.renderSearch = ({ onOpen, conversation, report }) => {
    const input = el("input", { type: "search", class: "search", placeholder: t("searchPlaceholder"),
                                "aria-label": t("searchCards"), maxlength: "500" });
    const results = el("div", { class: "search-results" });
    let timer = null;
    let latest = 0;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const q = input.value.trim();
        const ticket = ++latest;
        if (!q) { results.replaceChildren(); return; }
        try {
          const found = await Vouch.send("search", { q, source: "sidebar", conversation: conversation() });
          const open = (id) => onOpen(id, found.search_id);
          if (ticket === latest) results.replaceChildren(Vouch.renderCardList(found.results, open, t("nothingFound", q)));
        } catch (error) {
          if (ticket === latest) report(error);
        }
      }, 250);
    });
    return el("section", { class: "search-box" }, el("h2", { text: t("search") }), input, results);
  };
})();

// Search as you type (debounced), results in place of the suggestions.
(() => {
  const { el } = globalThis.Vouch;
  const Vouch = globalThis.Vouch;

  Vouch.renderSearch = ({ onOpen, report }) => {
    const input = el("input", { type: "search", class: "search", placeholder: "Search cards…",
                                "aria-label": "Search cards", maxlength: "500" });
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
          const found = await Vouch.send("search", { q, source: "sidebar" });
          const open = (id) => onOpen(id, found.search_id);
          if (ticket === latest) results.replaceChildren(Vouch.renderCardList(found.results, open, `Nothing found for “${q}”.`));
        } catch (error) {
          if (ticket === latest) report(error);
        }
      }, 250);
    });
    return el("section", { class: "search-box" }, el("h2", { text: "Search" }), input, results);
  };
})();

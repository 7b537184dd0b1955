// Search as you type (debounced), results in place of the suggestions.
(() => {
  const { el, t } = globalThis.Vouch;
  const Vouch = globalThis.Vouch;

  Vouch.renderSearch = ({ onOpen, conversation, report }) => {
    const input = el("input", { type: "search", class: "search", placeholder: t("searchPlaceholder"),
                                "aria-label": t("searchCards"), maxlength: "500" });
    const results = el("div", { class: "search-results" });
    Vouch.whileTyping(input, {
      find: (q) => Vouch.send("search", { q, source: "sidebar", conversation: conversation() }),
      show: (found, q) => results.replaceChildren(
        Vouch.renderCardList(found.results, (id) => onOpen(id, found.search_id), t("nothingFound", q))),
      clear: () => results.replaceChildren(),
      report,
    });
    return el("section", { class: "search-box" }, el("h2", { text: t("search") }), input, results);
  };
})();

// The verifier's queue in the sidebar, and notes that close the loop (a flag resolved,
// a request to verify). The header's count opens the queue.
(() => {
  const { el, t } = globalThis.Vouch;
  const Vouch = globalThis.Vouch;

  Vouch.renderQueue = (queue, { onOpen, onBack }) => el("section", { class: "queue-list" },
    el("div", { class: "actions" }, el("button", { type: "button", text: t("back"), onclick: onBack })),
    el("h2", { text: t("toVerify", queue.count) }),
    queue.items.length ? el("ul", { class: "cards" }, queue.items.map((item) => el("li", {
      class: "result", "data-card-id": String(item.id) },
      el("button", { class: "link card-title", type: "button", text: item.title, onclick: () => onOpen(item.id) }),
      el("div", { class: "meta", text: item.reasons.map((r) => t(`reason_${r}`)).join(", ") }))))
      : el("p", { class: "empty", text: t("queueEmpty") }));

  Vouch.renderNotifications = (notes, { report }) => {
    if (!notes || !notes.length) return null;
    return el("section", { class: "notifications" }, notes.map((note) => {
      const item = el("div", { class: "notice info note", "data-note-id": String(note.id) }, note.text, " ");
      item.append(el("button", { class: "link", type: "button", text: t("dismiss"), onclick: async () => {
        try { await Vouch.send("notification.read", { id: note.id }); item.remove(); } catch (error) { report(error); }
      } }));
      return item;
    }));
  };
})();

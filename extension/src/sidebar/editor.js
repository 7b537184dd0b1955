// Inline editing of a card. A save carries the version it started from; when someone
// saved in between, the newer text is shown and the user's edit is kept to reapply.
(() => {
  const { el, t } = globalThis.Vouch;
  const Vouch = globalThis.Vouch;

  Vouch.renderEditor = (card, { onSaved, onCancel, report }) => {
    let base = card;
    const title = el("input", { type: "text", class: "edit-title", "aria-label": t("title"), maxlength: "300" });
    const body = el("textarea", { class: "edit-body", "aria-label": t("cardText") });
    title.value = card.title;
    body.value = card.body;
    const conflict = el("div", { class: "conflict" });
    const save = el("button", { class: "primary save", type: "button", text: t("save"), onclick: async () => {
      save.disabled = true;
      try {
        const saved = await Vouch.send("card.save", { id: base.id, version: base.version, title: title.value,
                                                      body: body.value, host: location.host });
        onSaved(saved);
      } catch (error) {
        if (error.code === "card_conflict" && error.detail && error.detail.current) {
          base = error.detail.current;
          conflict.replaceChildren(el("div", { class: "notice error" },
            t("conflict")),
            el("pre", { class: "current-body", text: base.body }),
            el("button", { type: "button", class: "use-current", text: t("useNewer"), onclick: () => {
              title.value = base.title;
              body.value = base.body;
              conflict.replaceChildren();
              body.focus();
            } }));
        } else {
          report(error);
        }
      } finally {
        save.disabled = false;
      }
    } });
    // The server's own rule (policies/cards.py), so the note never promises what the save does not do.
    const note = t(card.can.keep_verified_on_save ? "keepsVerified" : "sendsToExpert");
    return el("article", { class: "editor" },
      el("h3", { text: t("editCard") }), el("label", {}, t("title"), title), el("label", {}, t("text"), body),
      el("p", { class: "meta", text: note }), conflict,
      el("div", { class: "actions" }, save, el("button", { type: "button", text: t("cancel"), onclick: onCancel })));
  };
})();

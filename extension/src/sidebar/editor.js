// Inline editing of a card. A save carries the version it started from; when someone
// saved in between, the newer text is shown and the user's edit is kept to reapply.
(() => {
  const { el } = globalThis.Vouch;
  const Vouch = globalThis.Vouch;

  Vouch.renderEditor = (card, { onSaved, onCancel, report }) => {
    let base = card;
    const title = el("input", { type: "text", class: "edit-title", "aria-label": "Title", maxlength: "300" });
    const body = el("textarea", { class: "edit-body", "aria-label": "Card text (Markdown)" });
    title.value = card.title;
    body.value = card.body;
    const conflict = el("div", { class: "conflict" });
    const save = el("button", { class: "primary save", type: "button", text: "Save", onclick: async () => {
      save.disabled = true;
      try {
        const saved = await Vouch.send("card.save", { id: base.id, version: base.version, title: title.value,
                                                      body: body.value, host: location.host });
        onSaved(saved);
      } catch (error) {
        if (error.code === "card_conflict" && error.detail && error.detail.current) {
          base = error.detail.current;
          conflict.replaceChildren(el("div", { class: "notice error" },
            "This card changed since you opened it. The newer text is below; your edit is still in the editor. ",
            "Save again to replace it with yours, or start from the newer text and reapply your change."),
            el("pre", { class: "current-body", text: base.body }),
            el("button", { type: "button", class: "use-current", text: "Start from the newer text", onclick: () => {
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
    const note = card.can.keep_verified_on_save ? "You verify this card: it stays verified when you save."
      : "Saving sends this card to its expert to verify again.";
    return el("article", { class: "editor" },
      el("h3", { text: "Edit card" }), el("label", {}, "Title", title), el("label", {}, "Text", body),
      el("p", { class: "meta", text: note }), conflict,
      el("div", { class: "actions" }, save, el("button", { type: "button", text: "Cancel", onclick: onCancel })));
  };
})();

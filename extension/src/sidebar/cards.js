// Card lists (suggestions, search results) and a card opened in place.
(() => {
  const { el } = globalThis.Vouch;
  const Vouch = globalThis.Vouch;

  Vouch.renderCardList = (cards, onOpen, emptyText) => {
    if (!cards.length) return el("p", { class: "empty", text: emptyText });
    return el("ul", { class: "cards" }, cards.map((card) => el("li", { class: `result${card.pinned ? " pinned" : ""}`,
                                                                      "data-card-id": String(card.id) },
      el("button", { class: "link card-title", type: "button", text: card.title, onclick: () => onOpen(card.id) }),
      Vouch.badge(card),
      card.pinned ? el("span", { class: "badge pin", text: "Pinned" }) : null,
      card.snippet ? el("div", { class: "snippet" }, Vouch.safeHtml(card.snippet)) : null)));
  };

  async function copyCard(card) {
    const html = new Blob([card.html], { type: "text/html" });
    const text = new Blob([card.body], { type: "text/plain" });
    await navigator.clipboard.write([new ClipboardItem({ "text/html": html, "text/plain": text })]);
  }

  function flagForm(card, report) {
    const kind = el("select", { "aria-label": "What is wrong" },
      el("option", { value: "wrong", text: "Wrong" }), el("option", { value: "unclear", text: "Unclear" }),
      el("option", { value: "outdated", text: "Outdated" }));
    const reason = el("input", { type: "text", class: "flag-reason", "aria-label": "Why", maxlength: "2000",
                                 placeholder: "What should it say?", required: true });
    const form = el("form", { class: "flag-form" }, kind, reason,
      el("button", { type: "submit", class: "primary", text: "Send flag" }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await Vouch.send("card.flag", { id: card.id, kind: kind.value, reason: reason.value });
        form.replaceWith(el("div", { class: "notice info", text: "Thanks: the card's expert will look at it, and you will hear back." }));
      } catch (error) { report(error); }
    });
    return form;
  }

  // Experts may verify at any time: a verified card's date starts again from today.
  function verifyButton(card, onVerify) {
    const waiting = card.status !== "verified" || card.needs_verification;
    return el("button", { type: "button", class: `verify${waiting ? " primary" : ""}`,
                          text: waiting ? "Verify" : "Verify again", onclick: onVerify });
  }

  function insertButton(card, report, done) {
    return el("button", { type: "button", class: "insert", text: "Insert", title: "Insert into the reply you are writing",
      onclick: () => {
        try {
          Vouch.insertCard(card);
          done("Inserted into your reply.");
          Vouch.send("card.used", { id: card.id, action: "inserted" }).catch(() => {});
        } catch (error) { report(error); }
      } });
  }

  Vouch.renderCard = (card, { onBack, onEdit, onVerify, report, inform }) => {
    const flagSlot = el("div", { class: "flag-slot" });
    const due = card.overdue_days !== null && card.overdue_days !== undefined
      ? `overdue by ${card.overdue_days} day${card.overdue_days === 1 ? "" : "s"}`
      : card.verify_due_at ? `due ${card.verify_due_at.slice(0, 10)}` : "never due";
    return el("article", { class: "card", "data-card-id": String(card.id) },
      el("div", { class: "actions" }, el("button", { type: "button", text: "← Back", onclick: onBack })),
      el("h3", { class: "card-title", text: card.title }), Vouch.badge(card),
      el("div", { class: "meta" },
        card.verifier ? `Expert: ${card.verifier.name} · ` : "", card.verified_at ? `verified ${card.verified_at.slice(0, 10)} · ` : "",
        due, card.collection ? ` · ${card.collection.name}` : ""),
      el("div", { class: "actions" },
        insertButton(card, report, inform || (() => {})),
        el("button", { type: "button", text: "Copy", onclick: () => copyCard(card)
          .then(() => Vouch.send("card.used", { id: card.id, action: "copied" })).catch(report) }),
        card.can.edit ? el("button", { type: "button", class: "edit", text: "Edit", onclick: onEdit }) : null,
        card.can.verify ? verifyButton(card, onVerify) : null,
        el("button", { type: "button", class: "flag", text: "Flag", onclick: () => {
          if (!flagSlot.firstChild) flagSlot.append(flagForm(card, report));
        } })),
      flagSlot,
      el("div", { class: "card-body" }, Vouch.safeHtml(card.html)));
  };
})();

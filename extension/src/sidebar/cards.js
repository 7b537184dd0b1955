// Card lists (suggestions, search results) and a card opened in place.
(() => {
  const { el, t } = globalThis.Vouch;
  const Vouch = globalThis.Vouch;

  Vouch.renderCardList = (cards, onOpen, emptyText) => {
    if (!cards.length) return el("p", { class: "empty", text: emptyText });
    return el("ul", { class: "cards" }, cards.map((card) => el("li", { class: `result${card.pinned ? " pinned" : ""}`,
                                                                      "data-card-id": String(card.id) },
      el("button", { class: "link card-title", type: "button", text: card.title, onclick: () => onOpen(card.id) }),
      Vouch.badge(card),
      card.pinned ? el("span", { class: "badge pin", text: t("pinned") }) : null,
      card.snippet ? el("div", { class: "snippet" }, Vouch.safeHtml(card.snippet)) : null)));
  };

  // The card as this conversation's reply: the server fills its placeholders from the customer,
  // the page's name for them and the agent, and records the insert or copy with the
  // conversation. What it could not fill comes back highlighted, and is named to the agent.
  async function filled(card, action, reply) {
    const { customerId, contactName, conversation } = reply();
    return Vouch.send("card.reply", { id: card.id, action, customerId, contactName, conversation });
  }

  const doneText = (result, doneKey) => (result.unfilled && result.unfilled.length
    ? t("fillIn", result.unfilled.map((name) => `{{${name}}}`).join(", ")) : t(doneKey));

  async function copyCard(card, reply) {
    const result = await filled(card, "copied", reply);
    const html = new Blob([result.html], { type: "text/html" });
    const text = new Blob([result.text], { type: "text/plain" });
    await navigator.clipboard.write([new ClipboardItem({ "text/html": html, "text/plain": text })]);
    return result;
  }

  function flagForm(card, report) {
    const kind = el("select", { "aria-label": t("flagKind") },
      el("option", { value: "wrong", text: t("flagWrong") }), el("option", { value: "unclear", text: t("flagUnclear") }),
      el("option", { value: "outdated", text: t("flagOutdated") }));
    const reason = el("input", { type: "text", class: "flag-reason", "aria-label": t("flagWhy"), maxlength: "2000",
                                 placeholder: t("flagPlaceholder"), required: true });
    const form = el("form", { class: "flag-form" }, kind, reason,
      el("button", { type: "submit", class: "primary", text: t("sendFlag") }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await Vouch.send("card.flag", { id: card.id, kind: kind.value, reason: reason.value });
        form.replaceWith(el("div", { class: "notice info", text: t("flagSent") }));
      } catch (error) { report(error); }
    });
    return form;
  }

  // Experts may verify at any time: a verified card's date starts again from today.
  function verifyButton(card, onVerify) {
    const waiting = card.status !== "verified" || card.needs_verification;
    return el("button", { type: "button", class: `verify${waiting ? " primary" : ""}`,
                          text: t(waiting ? "verify" : "verifyAgain"), onclick: onVerify });
  }

  function insertButton(card, { report, inform, reply, afterInsert }) {
    return el("button", { type: "button", class: "insert", text: t("insert"), title: t("insertTitle"),
      onclick: async () => {
        try {
          const box = Vouch.replyBox(); // before asking the server: no reply box, nothing recorded
          if (!box) throw Object.assign(new Error(t("noReplyBox")), { code: "no_reply_box" });
          const result = await filled(card, "inserted", reply);
          Vouch.insertCard(result, box);
          inform(doneText(result, "inserted"));
          afterInsert();
        } catch (error) { report(error); }
      } });
  }

  Vouch.renderCard = (card, { onBack, onEdit, onVerify, report, inform, reply, afterInsert }) => {
    const flagSlot = el("div", { class: "flag-slot" });
    const due = card.overdue_days !== null && card.overdue_days !== undefined
      ? (card.overdue_days === 1 ? t("overdueDay") : t("overdueDays", card.overdue_days))
      : card.verify_due_at ? t("dueOn", card.verify_due_at.slice(0, 10)) : t("neverDue");
    return el("article", { class: "card", "data-card-id": String(card.id) },
      el("div", { class: "actions" }, el("button", { type: "button", text: t("back"), onclick: onBack })),
      el("h3", { class: "card-title", text: card.title }), Vouch.badge(card),
      el("div", { class: "meta" },
        [card.verifier ? t("expert", card.verifier.name) : null,
         card.verified_at ? t("verifiedOn", card.verified_at.slice(0, 10)) : null,
         due, card.collection ? card.collection.name : null].filter(Boolean).join(" · ")),
      el("div", { class: "actions" },
        insertButton(card, { report, inform, reply, afterInsert }),
        el("button", { type: "button", class: "copy", text: t("copy"), onclick: () => copyCard(card, reply)
          .then((result) => inform(doneText(result, "copied"))).catch(report) }),
        card.can.edit ? el("button", { type: "button", class: "edit", text: t("edit"), onclick: onEdit }) : null,
        card.can.verify ? verifyButton(card, onVerify) : null,
        el("button", { type: "button", class: "flag", text: t("flag"), onclick: () => {
          if (!flagSlot.firstChild) flagSlot.append(flagForm(card, report));
        } })),
      flagSlot,
      el("div", { class: "card-body" }, Vouch.safeHtml(card.html)));
  };
})();

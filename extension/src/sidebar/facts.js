// Quick facts about the customer in view: pinned first, expired and "may be stale" ones
// marked, when each was last confirmed and by whom; add, edit (text, pin, reminder,
// expiry), confirm and delete in place.
(() => {
  const { el, t } = globalThis.Vouch;
  const Vouch = globalThis.Vouch;

  const day = (stamp) => (stamp ? String(stamp).slice(0, 10) : "");

  function metaLine(fact) {
    const parts = [fact.pinned ? t("pinned") : null, fact.author ? fact.author.name : null,
      fact.confirmed_at ? (fact.confirmed_by ? t("confirmedBy", day(fact.confirmed_at), fact.confirmed_by.name)
        : t("confirmedOn", day(fact.confirmed_at))) : null,
      fact.remind_at ? t("remindAt", day(fact.remind_at)) : null,
      fact.expires_at && !fact.expired ? t("expiresAt", day(fact.expires_at)) : null].filter(Boolean);
    return parts.join(" · ");
  }

  // The edit form: the text and every other field a fact has.
  function editForm(fact, { refresh, report }) {
    const input = el("textarea", { "aria-label": t("factLabel"), class: "fact-text", maxlength: "2000" });
    input.value = fact.text;
    input.style.minHeight = "60px";
    const pinned = el("input", { type: "checkbox", class: "fact-pinned" });
    pinned.checked = Boolean(fact.pinned);
    const remind = el("input", { type: "date", class: "fact-remind" });
    remind.value = day(fact.remind_at);
    const expires = el("input", { type: "date", class: "fact-expires" });
    expires.value = day(fact.expires_at);
    const form = el("form", { class: "fact-edit" }, input,
      el("label", { class: "inline" }, pinned, ` ${t("pin")}`),
      el("fieldset", { class: "dates" }, el("legend", { text: t("factDates") }),
        el("label", {}, t("remindOn"), remind), el("label", {}, t("expiresOn"), expires)),
      el("div", { class: "actions" }, el("button", { class: "primary", type: "submit", text: t("save") }),
        el("button", { type: "button", text: t("cancel"), onclick: refresh })));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        // The text goes only when changed: saving it counts as confirming the fact.
        await Vouch.send("fact.update", { id: fact.id, version: fact.version, changes: {
          ...(input.value !== fact.text ? { text: input.value } : {}),
          pinned: pinned.checked, remind_at: remind.value || null,
          // A fact expires at the end of the day the agent picked.
          expires_at: expires.value ? `${expires.value}T23:59:59Z` : null } });
        refresh();
      } catch (error) { report(error); }
    });
    queueMicrotask(() => input.focus());
    return form;
  }

  function factItem(fact, { refresh, report }) {
    const item = el("li", { class: `fact${fact.pinned ? " pinned" : ""}${fact.expired ? " expired" : ""}${fact.stale ? " stale" : ""}`,
                            "data-fact-id": String(fact.id) });
    const meta = el("div", { class: "meta" }, metaLine(fact),
      fact.expired ? el("span", { class: "tag-expired", text: t("expired") }) : null,
      fact.stale && !fact.expired ? el("span", { class: "tag-stale", text: t("mayBeStale") }) : null);
    const canEdit = !fact.can || fact.can.edit;
    const edit = canEdit ? el("button", { class: "link", type: "button", text: t("edit"),
      onclick: () => item.replaceChildren(editForm(fact, { refresh, report })) }) : null;
    const confirm = canEdit && fact.stale && !fact.expired ? el("button", { class: "link confirm", type: "button",
      text: t("confirm"), onclick: async () => {
        try { await Vouch.send("fact.confirm", { id: fact.id, version: fact.version }); refresh(); }
        catch (error) { report(error); }
      } }) : null;
    const remove = fact.can && fact.can.delete ? el("button", { class: "link", type: "button", text: t("delete"),
      onclick: async () => {
        try { await Vouch.send("fact.delete", { id: fact.id }); refresh(); } catch (error) { report(error); }
      } }) : null;
    item.append(el("div", { class: "fact-body" }, Vouch.safeHtml(fact.html)), meta,
                el("div", { class: "actions" }, confirm, edit, remove));
    return item;
  }

  // Pinned facts lead whatever order the server sends; the rest keep theirs.
  const pinnedFirst = (facts) => [...facts.filter((f) => f.pinned), ...facts.filter((f) => !f.pinned)];

  function addForm(customer, refresh, report) {
    const input = el("input", { type: "text", placeholder: t("addFact"), "aria-label": t("newFact"),
                                maxlength: "2000" });
    const form = el("form", { class: "add-fact" }, input);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!input.value.trim()) return;
      try { await Vouch.send("fact.add", { customerId: customer.id, text: input.value }); refresh(); }
      catch (error) { report(error); }
    });
    return form;
  }

  // `head` is the customer's name and how they were recognised (customer.js).
  Vouch.renderFacts = (customer, facts, { head, refresh, report }) => {
    if (!customer) return el("section", { class: "customer" }, el("h2", { text: t("customer") }), head);
    return el("section", { class: "customer" },
      el("h2", { text: t("customer") }), head,
      el("ul", { class: "facts" }, pinnedFirst(facts).map((fact) => factItem(fact, { refresh, report }))),
      facts.length ? null : el("p", { class: "empty", text: t("noFacts") }),
      addForm(customer, refresh, report));
  };
})();

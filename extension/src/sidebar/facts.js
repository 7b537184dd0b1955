// Quick facts about the customer in view: listed pinned first, expired ones marked;
// add, edit and delete in place.
(() => {
  const { el } = globalThis.Vouch;
  const Vouch = globalThis.Vouch;

  function factItem(fact, refresh, report) {
    const item = el("li", { class: `fact${fact.pinned ? " pinned" : ""}${fact.expired ? " expired" : ""}`,
                            "data-fact-id": String(fact.id) });
    const body = el("div", { class: "fact-body" }, Vouch.safeHtml(fact.html));
    const meta = el("div", { class: "meta" },
      fact.pinned ? "Pinned · " : "", fact.author ? fact.author.name : "",
      fact.expired ? el("span", { class: "tag-expired", text: "expired" }) : null);
    const edit = el("button", { class: "link", type: "button", text: "Edit", onclick: () => {
      const input = el("textarea", { "aria-label": "Quick fact" });
      input.value = fact.text;
      input.style.minHeight = "60px";
      const save = el("button", { class: "primary", type: "button", text: "Save", onclick: async () => {
        try { await Vouch.send("fact.update", { id: fact.id, version: fact.version, text: input.value }); refresh(); }
        catch (error) { report(error); }
      } });
      item.replaceChildren(input, el("div", { class: "actions" }, save,
        el("button", { type: "button", text: "Cancel", onclick: refresh })));
      input.focus();
    } });
    const remove = fact.can && fact.can.delete ? el("button", { class: "link", type: "button", text: "Delete",
      onclick: async () => {
        try { await Vouch.send("fact.delete", { id: fact.id }); refresh(); } catch (error) { report(error); }
      } }) : null;
    item.append(body, meta, el("div", { class: "actions" }, edit, remove));
    return item;
  }

  // Pinned facts lead whatever order the server sends; the rest keep theirs.
  const pinnedFirst = (facts) => [...facts.filter((f) => f.pinned), ...facts.filter((f) => !f.pinned)];

  function addForm(customer, refresh, report) {
    const input = el("input", { type: "text", placeholder: "Add a quick fact…", "aria-label": "New quick fact",
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

  Vouch.renderFacts = (customer, facts, { refresh, report }) => {
    if (!customer) return el("section", { class: "customer" }, el("h2", { text: "Customer" }),
      el("p", { class: "empty", text: "No known customer in this conversation." }));
    return el("section", { class: "customer" },
      el("h2", { text: "Customer" }),
      el("h3", { class: "customer-name", text: customer.name }),
      el("ul", { class: "facts" }, pinnedFirst(facts).map((fact) => factItem(fact, refresh, report))),
      facts.length ? null : el("p", { class: "empty", text: "No quick facts yet." }),
      addForm(customer, refresh, report));
  };
})();

// The conversation's customer: who it is, how Vouch recognised them, and "not this customer",
// which lets the agent pick another customer the page names, or find one by name. The choice
// is kept for this conversation (by the service worker, per site and conversation).
(() => {
  const { el, t } = globalThis.Vouch;
  const Vouch = globalThis.Vouch;

  // A handle as the server keeps it: a phone number's digits, else without a leading @, folded.
  const handleKey = (value) => {
    const text = String(value || "").replace(/\s+/g, " ").trim();
    if (/^\+?[\d\s().-]{6,40}$/.test(text)) return (text.startsWith("+") ? "+" : "") + text.replace(/\D/g, "");
    return text.replace(/^@+/, "").toLowerCase();
  };

  // Which of the page's identities made the match: the server's word for it, else worked out
  // from what the customer is known by.
  function identityOf(customer, context) {
    if (customer.matched_on) return customer.matched_on;
    const emails = (context && context.emails) || [];
    const fold = (text) => String(text || "").trim().toLowerCase();
    if (customer.matched_by === "email") return emails.find((e) => customer.emails.includes(fold(e)));
    if (customer.matched_by === "domain") {
      return customer.domains.find((d) => emails.some((e) => fold(e).split("@").pop() === d));
    }
    if (customer.matched_by === "name") {
      return ((context && context.names) || []).find((n) => fold(n) === fold(customer.name)) || customer.name;
    }
    if (customer.matched_by === "handle") {
      return ((context && context.handles) || []).find((h) => customer.handles.includes(handleKey(h)));
    }
    return null;
  }

  function matchLine(customer, context) {
    if (!customer.matched_by) return null;
    if (customer.matched_by === "chosen") return t("matchedBy_chosen");
    const identity = identityOf(customer, context);
    return identity ? t(`matchedBy_${customer.matched_by}`, identity) : null;
  }

  function picker({ customer, candidates, choose, close, report }) {
    const input = el("input", { type: "search", class: "find-customer", placeholder: t("findCustomer"),
                                "aria-label": t("findCustomerLabel"), maxlength: "200" });
    const found = el("ul", { class: "customer-results" });
    const option = (c, identity) => el("li", {}, el("button", { type: "button", class: "link pick",
      "data-customer-id": String(c.id), onclick: () => choose(c.id) }, c.name,
      identity ? el("span", { class: "meta", text: ` · ${identity}` }) : null));
    Vouch.whileTyping(input, {
      find: async (q) => (await Vouch.send("customers.find", { q }))
        .filter((c) => !customer || c.id !== customer.id).slice(0, 8),
      show: (customers) => found.replaceChildren(...(customers.length ? customers.map((c) => option(c))
        : [el("li", { class: "empty", text: t("noCustomerFound") })])),
      clear: () => found.replaceChildren(),
      report,
    });
    const others = (candidates || []).filter((c) => !customer || c.id !== customer.id);
    const box = el("div", { class: "picker", role: "group", "aria-label": t("pickCustomer") },
      el("p", { class: "picker-title", text: t("pickCustomer") }),
      others.length ? el("p", { class: "meta", text: t("pickFromPage") }) : null,
      others.length ? el("ul", { class: "candidates" }, others.map((c) => option(c, c.identity))) : null,
      input, found,
      el("div", { class: "actions" },
        customer && customer.matched_by === "chosen"
          ? el("button", { type: "button", class: "auto-match", text: t("useMatch"), onclick: () => choose(null) }) : null,
        el("button", { type: "button", text: t("cancel"), onclick: close })));
    queueMicrotask(() => input.focus());
    return box;
  }

  Vouch.renderCustomer = ({ customer, candidates, context, onChoose, report }) => {
    const slot = el("div", { class: "picker-slot" });
    const choose = async (customerId) => {
      try { await onChoose(customerId); } catch (error) { report(error); }
    };
    const close = () => slot.replaceChildren();
    const toggle = el("button", { type: "button", class: "link not-this",
      text: customer ? t("notThisCustomer") : t("chooseCustomer"),
      "aria-expanded": "false",
      onclick: () => {
        const opening = !slot.firstChild;
        slot.replaceChildren(...(opening ? [picker({ customer, candidates, choose, close, report })] : []));
        toggle.setAttribute("aria-expanded", String(opening));
      } });
    if (!customer) {
      return el("div", { class: "customer-head" }, el("p", { class: "empty", text: t("noCustomer") }), toggle, slot);
    }
    const line = matchLine(customer, context);
    return el("div", { class: "customer-head" },
      el("h3", { class: "customer-name", text: customer.name }),
      el("div", { class: "meta matched-by" }, line ? `${line} · ` : "", toggle), slot);
  };
})();

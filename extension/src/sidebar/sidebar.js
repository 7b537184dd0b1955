// The sidebar: a Shadow DOM root on the page, showing the context panel (customer,
// quick facts, suggested cards), search, and a card opened in place. Where it sits is
// layout.js's; every word it shows is in _locales (strings.js).
(() => {
  const { el, t } = globalThis.Vouch;
  const Vouch = globalThis.Vouch;

  const MESSAGES = { unreachable: "errorUnreachable", not_authenticated: "errorSignedOut",
                     not_configured: "errorNotConfigured", no_permission: "errorNoPermission" };

  class Sidebar {
    constructor({ openShadow }) {
      this.host = document.createElement("vouch-sidebar");
      this.host.id = "vouch-sidebar-host";
      // Closed, so page scripts cannot read what the sidebar shows; tests may ask for open.
      this.root = this.host.attachShadow({ mode: openShadow ? "open" : "closed" });
      this.root.append(el("style", { text: Vouch.STYLES }));
      this.notice = el("div", { class: "notices", role: "status", "aria-live": "polite" });
      this.queue = el("button", { type: "button", class: "queue", hidden: true, "aria-label": t("openQueue"),
                                  onclick: () => this.showQueue() });
      this.main = el("main");
      const handle = el("div", { class: "resize", role: "separator", tabindex: "0", "aria-orientation": "vertical",
                                 "aria-label": t("resize") });
      this.panel = el("div", { class: "panel", role: "complementary", "aria-label": t("sidebarLabel"), hidden: true },
        handle,
        el("header", {}, el("h1", { text: t("sidebarLabel") }), this.queue,
          el("button", { type: "button", class: "close", "aria-label": t("close"), text: "×",
                         onclick: () => this.toggle(false) })),
        this.notice, this.main);
      // Left at the page's edge while the sidebar keeps out of the reply box's way.
      const tab = el("button", { type: "button", class: "tab", hidden: true, text: t("sidebarLabel"),
                                 "aria-label": t("reopen"), onclick: () => { this.layout.untuck(); this.focusFirst(); } });
      this.root.append(this.panel, tab);
      this.panel.addEventListener("keydown", (event) => {
        if (event.key === "Escape" && !event.defaultPrevented) {
          event.preventDefault();
          this.toggle(false);
        }
      });
      document.documentElement.append(this.host);
      this.layout = new Vouch.Layout({ panel: this.panel, tab, handle });
      this.ready = this.layout.restore();
      // Where the agent was before coming into the sidebar, to go back there on Escape.
      document.addEventListener("focusin", (event) => {
        if (event.target !== this.host) this.lastPageFocus = event.composedPath()[0];
      }, true);
      this.context = null;
      this.loads = 0;        // answers to an earlier conversation's request are dropped
      this.editing = false;  // a conversation change never throws away an edit in progress
      this.report = (error) => this.showError(error);
    }

    // From the toolbar button or the keyboard shortcut: open moves the focus into the
    // sidebar, close gives it back to the page. Remembered for the site.
    toggle(show) {
      const open = show === undefined ? !(this.layout.open && !this.layout.tucked) : show;
      this.layout.setOpen(open);
      if (open) this.focusFirst();
      else if (this.lastPageFocus && this.lastPageFocus.isConnected) this.lastPageFocus.focus();
    }

    focusFirst() {
      const target = this.main.querySelector("input.search") || this.panel.querySelector("button.close");
      if (target) target.focus();
    }

    showError(error) {
      const code = error && error.code;
      const text = MESSAGES[code] ? t(MESSAGES[code]) : (error && error.message) || t("errorGeneric");
      const options = MESSAGES[code]
        ? el("button", { class: "link", type: "button", text: ` ${t("openOptions")}`, onclick: () => Vouch.send("options.open") })
        : null;
      this.notice.replaceChildren(el("div", { class: "notice error" }, text, options));
    }

    inform(text) { this.notice.replaceChildren(el("div", { class: "notice info", text })); }

    clearNotice() { this.notice.replaceChildren(); }

    async load(context) {
      this.context = context;
      const ticket = ++this.loads;
      this.layout.refresh();
      try {
        const panel = await Vouch.send("context", { context: withoutKey(context), key: context.key });
        if (ticket !== this.loads || this.editing) return;
        this.clearNotice();
        this.panelData = panel;
        this.showHome();
      } catch (error) {
        if (ticket === this.loads && !this.editing) this.showError(error);
      }
    }

    // No conversation in view (an inbox list): only search makes sense.
    idle() {
      this.context = null;
      this.loads += 1;
      this.layout.refresh();
      if (this.editing) return;
      this.clearNotice();
      this.main.replaceChildren(this.searchBox(), el("p", { class: "empty idle", text: t("idle") }));
    }

    // The adapter's checks failed: the host changed its markup. Say so plainly rather than
    // suggest cards from whatever the page now holds; search still works.
    unreadable(product) {
      this.context = null;
      this.loads += 1;
      if (this.editing) return;
      this.notice.replaceChildren(el("div", { class: "notice error unreadable", text: t("unreadable", product) }));
      this.main.replaceChildren(this.searchBox());
    }

    back() {
      if (this.fromQueue) this.showQueue();
      else if (this.context) this.load(this.context);
      else this.idle();
    }

    // One search box for the sidebar's life: what the agent typed (and found) stays when the
    // conversation changes or they come back from a card.
    searchBox() {
      this.search = this.search || Vouch.renderSearch({ onOpen: (id, searchId) => this.openCard(id, searchId),
                                                       conversation: () => this.conversation(), report: this.report });
      return this.search;
    }

    // How analytics names the conversation in view: the site and the adapter's key.
    conversation() {
      return this.context && this.context.key ? `${location.host} ${this.context.key}`.slice(0, 300) : null;
    }

    showHome() {
      const { customer, candidates, facts, suggestions, queue_count: count } = this.panelData;
      this.showCount(count);
      const refresh = () => this.load(this.context);
      const head = Vouch.renderCustomer({ customer, candidates, context: this.context, report: this.report,
        onChoose: async (customerId) => {
          await Vouch.send("customer.choose", { key: this.context.key, customerId });
          refresh();
        } });
      this.main.replaceChildren(
        Vouch.renderNotifications(this.panelData.notifications, { report: this.report }) || "",
        this.searchBox(), // first, as in every help desk: the answer the agent looks for may not be suggested
        Vouch.renderFacts(customer, facts, { head, refresh, report: this.report }),
        el("section", { class: "suggestions" }, el("h2", { text: t("suggested") }),
          Vouch.renderCardList(suggestions, (id) => this.openCard(id), t("noSuggestions"))));
      // For scripts/bench_extension.py (and DevTools): when a conversation's facts and cards
      // show. A mark is visible to the page's scripts, so it carries no data.
      performance.mark("vouch:shown");
    }

    showCount(count) {
      this.queue.hidden = !count;
      this.queue.textContent = count ? t("queueCount", count) : "";
    }

    async showQueue() {
      try {
        const queue = await Vouch.send("queue");
        this.showCount(queue.count);
        this.clearNotice();
        this.fromQueue = true;
        this.editing = false;
        this.main.replaceChildren(Vouch.renderQueue(queue, {
          onOpen: (id) => this.openCard(id), onBack: () => { this.fromQueue = false; this.back(); } }));
      } catch (error) {
        this.showError(error);
      }
    }

    async openCard(id, searchId) {
      try {
        this.showCard(await Vouch.send("card.get", { id }));
        // Which cards get used is what analytics reports; a failure here is not the user's problem.
        Vouch.send("card.used", { id, action: "opened", searchId, conversation: this.conversation() }).catch(() => {});
      } catch (error) {
        this.showError(error);
      }
    }

    // What filling a card's placeholders needs: who the customer is and how the page names them.
    replyContext() {
      const customer = this.panelData && this.context ? this.panelData.customer : null;
      return { customerId: customer ? customer.id : null,
               contactName: this.context && this.context.names ? this.context.names[0] || "" : "",
               conversation: this.conversation() };
    }

    showCard(card, message) {
      this.editing = false;
      this.clearNotice();
      if (message) this.inform(message);
      this.main.replaceChildren(Vouch.renderCard(card, {
        onBack: () => this.back(),
        onEdit: () => {
          this.editing = true;
          this.main.replaceChildren(Vouch.renderEditor(card, {
            onSaved: (saved) => this.showCard(saved, t(saved.status === "verified" ? "savedVerified" : "savedUnverified")),
            onCancel: () => this.showCard(card),
            report: this.report,
          }));
        },
        onVerify: async () => {
          try {
            this.showCard(await Vouch.send("card.verify", { id: card.id }), t("verifiedNotice"));
            this.showCount((await Vouch.send("queue")).count);
          } catch (error) { this.showError(error); }
        },
        reply: () => this.replyContext(),
        afterInsert: () => this.layout.refresh(),
        report: this.report,
        inform: (text) => this.inform(text),
      }));
    }
  }

  // The key is the extension's own bookkeeping, not part of the server's context request.
  function withoutKey({ key, ...context }) {
    void key;
    return context;
  }

  Vouch.Sidebar = Sidebar;
})();

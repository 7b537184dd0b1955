// The sidebar: a Shadow DOM root on the page, showing the context panel (customer,
// quick facts, suggested cards), search, and a card opened in place.
(() => {
  const { el } = globalThis.Vouch;
  const Vouch = globalThis.Vouch;

  const MESSAGES = {
    unreachable: "Cannot reach the Vouch server. Check that it is running and that the URL in the options is right.",
    not_authenticated: "You are signed out of Vouch: paste a valid API token in the extension's options.",
    not_configured: "Set the Vouch server URL and your API token in the extension's options.",
    no_permission: "Vouch may not contact its server yet: open the options and save, then allow access.",
  };
  const FIXED_IN_OPTIONS = ["unreachable", "not_authenticated", "not_configured", "no_permission"];

  class Sidebar {
    constructor({ openShadow }) {
      this.host = document.createElement("vouch-sidebar");
      this.host.id = "vouch-sidebar-host";
      // Closed, so page scripts cannot read what the sidebar shows; tests may ask for open.
      this.root = this.host.attachShadow({ mode: openShadow ? "open" : "closed" });
      this.root.append(el("style", { text: Vouch.STYLES }));
      this.notice = el("div", { class: "notices", role: "status", "aria-live": "polite" });
      this.queue = el("button", { type: "button", class: "queue", hidden: true, "aria-label": "Open my verification queue",
                                  onclick: () => this.showQueue() });
      this.main = el("main");
      this.panel = el("div", { class: "panel", role: "complementary", "aria-label": "Vouch" },
        el("header", {}, el("h1", { text: "Vouch" }), this.queue,
          el("button", { type: "button", "aria-label": "Close Vouch", text: "×", onclick: () => this.toggle(false) })),
        this.notice, this.main);
      this.root.append(this.panel);
      document.documentElement.append(this.host);
      this.context = null;
      this.loads = 0;        // answers to an earlier conversation's request are dropped
      this.editing = false;  // a conversation change never throws away an edit in progress
      this.report = (error) => this.showError(error);
    }

    toggle(show) {
      this.panel.hidden = show === undefined ? !this.panel.hidden : !show;
    }

    showError(error) {
      const text = MESSAGES[error && error.code] || (error && error.message) || "Something went wrong.";
      const options = FIXED_IN_OPTIONS.includes(error && error.code)
        ? el("button", { class: "link", type: "button", text: " Open options", onclick: () => Vouch.send("options.open") })
        : null;
      this.notice.replaceChildren(el("div", { class: "notice error" }, text, options));
    }

    clearNotice() { this.notice.replaceChildren(); }

    async load(context) {
      this.context = context;
      const ticket = ++this.loads;
      try {
        const panel = await Vouch.send("context", { context: withoutKey(context) });
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
      if (this.editing) return;
      this.clearNotice();
      this.main.replaceChildren(this.searchBox(),
        el("p", { class: "empty idle", text: "Open a conversation to see its customer and suggested cards." }));
    }

    // The adapter's checks failed: the host changed its markup. Say so plainly rather than
    // suggest cards from whatever the page now holds; search still works.
    unreadable(product) {
      this.context = null;
      this.loads += 1;
      if (this.editing) return;
      this.notice.replaceChildren(el("div", { class: "notice error unreadable",
        text: `Vouch cannot read this ${product} page; your admin has been told.` }));
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
                                                       report: this.report });
      return this.search;
    }

    showHome() {
      const { customer, facts, suggestions, queue_count: count } = this.panelData;
      this.showCount(count);
      const refresh = () => this.load(this.context);
      this.main.replaceChildren(
        Vouch.renderNotifications(this.panelData.notifications, { report: this.report }) || "",
        this.searchBox(), // first, as in every help desk: the answer the agent looks for may not be suggested
        Vouch.renderFacts(customer, facts, { refresh, report: this.report }),
        el("section", { class: "suggestions" }, el("h2", { text: "Suggested cards" }),
          Vouch.renderCardList(suggestions, (id) => this.openCard(id), "No cards fit this conversation.")));
      // For scripts/bench_extension.py (and DevTools): when a conversation's facts and cards
      // show. A mark is visible to the page's scripts, so it carries no data.
      performance.mark("vouch:shown");
    }

    showCount(count) {
      this.queue.hidden = !count;
      this.queue.textContent = count ? `${count} to verify` : "";
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
        Vouch.send("card.used", { id, action: "opened", searchId }).catch(() => {});
      } catch (error) {
        this.showError(error);
      }
    }

    showCard(card, message) {
      this.editing = false;
      this.clearNotice();
      if (message) this.notice.replaceChildren(el("div", { class: "notice info", text: message }));
      this.main.replaceChildren(Vouch.renderCard(card, {
        onBack: () => this.back(),
        onEdit: () => {
          this.editing = true;
          this.main.replaceChildren(Vouch.renderEditor(card, {
            onSaved: (saved) => this.showCard(saved, saved.status === "verified" ? "Saved. The card stays verified." :
              "Saved. The card is now unverified: it waits for its expert to verify it."),
            onCancel: () => this.showCard(card),
            report: this.report,
          }));
        },
        onVerify: async () => {
          try {
            this.showCard(await Vouch.send("card.verify", { id: card.id }), "Verified.");
            this.showCount((await Vouch.send("queue")).count);
          } catch (error) { this.showError(error); }
        },
        report: this.report,
        inform: (text) => this.notice.replaceChildren(el("div", { class: "notice info", text })),
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

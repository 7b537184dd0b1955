// Where the sidebar sits on the host page.
// - Push, on a window wide enough that the host keeps PAGE_MIN pixels: the page's root gets a
//   right margin, and the host's app shells fixed to the window's right edge move left by the
//   sidebar's width, so nothing of the host is covered (Zammad's ticket attributes, Gmail's
//   right-hand columns). Undone exactly on close.
// - Overlay, on a narrower window: the sidebar lies over the host's right edge, and never
//   over the reply box the agent writes in: it ends above a reply box low on the page, and
//   tucks itself into a tab at the edge when the box is taller than that.
// Open or closed, and the width the agent dragged it to, are remembered per site.
(() => {
  const Vouch = globalThis.Vouch;
  const MIN_WIDTH = 280;
  const MAX_WIDTH = 640;
  const DEFAULT_WIDTH = 360;
  const PAGE_MIN = 800;  // below this much room for the host, the sidebar overlays
  const STEP = 16;       // px per arrow key on the resize handle
  const SHELL_DEPTH = 3; // how deep under <body> to look for fixed app shells
  const ROOM_ABOVE = 0.4; // a reply box whose top is below 40% of the window leaves room above it

  const clampWidth = (width) => Math.round(Math.min(Math.max(width, MIN_WIDTH),
                                                    Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, innerWidth - 200))));

  // Elements a few levels under <body>, where single-page apps put their fixed frames.
  function nearTop(depth = SHELL_DEPTH) {
    const found = [];
    let level = document.body ? [...document.body.children] : [];
    for (let i = 0; i < depth && level.length; i++) {
      found.push(...level);
      level = level.flatMap((node) => [...node.children]);
    }
    return found.filter((node) => !(node instanceof HTMLScriptElement || node instanceof HTMLStyleElement));
  }

  const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

  class Layout {
    constructor({ panel, tab, handle, onChange }) {
      Object.assign(this, { panel, tab, handle, onChange });
      this.width = DEFAULT_WIDTH;
      this.open = true;     // what the agent chose, remembered for the site
      this.tucked = false;  // out of the reply box's way for now, not remembered
      this.mode = null;
      this.moved = new Map(); // host element → its inline styles before it was moved
      this.wireHandle();
      addEventListener("resize", () => this.apply());
      // The agent clicks into a reply box the overlaid sidebar covers: make way.
      document.addEventListener("focusin", (event) => {
        if (this.mode === "overlay" && this.open) this.avoid(event.composedPath()[0]);
      }, true);
    }

    async restore() {
      let saved = null;
      try { saved = await Vouch.send("layout.get"); } catch { /* defaults */ }
      if (saved && typeof saved.width === "number") this.width = clampWidth(saved.width);
      if (saved && saved.open === false) this.open = false;
      this.apply();
    }

    remember() {
      Vouch.send("layout.set", { open: this.open, width: this.width }).catch(() => {});
    }

    setOpen(open) {
      this.open = open;
      this.tucked = false;
      this.remember();
      this.apply();
    }

    untuck() {
      this.tucked = false;
      this.apply();
    }

    // Puts the panel, the tab and the host page where the current state says.
    apply() {
      this.width = clampWidth(this.width);
      const shown = this.open && !this.tucked;
      const push = shown && innerWidth - this.width >= PAGE_MIN;
      this.mode = shown ? (push ? "push" : "overlay") : null;
      this.panel.hidden = !shown;
      this.panel.style.width = `${this.width}px`;
      this.panel.dataset.mode = this.mode || (this.open ? "tucked" : "closed");
      this.tab.hidden = !(this.open && this.tucked);
      this.handle.setAttribute("aria-valuenow", String(this.width));
      this.handle.setAttribute("aria-valuemax", String(clampWidth(MAX_WIDTH)));
      this.release();
      if (push) this.push();
      else if (this.mode === "overlay") {
        this.panel.style.bottom = "0px";
        this.avoid(Vouch.replyBox && Vouch.replyBox(), { tuck: false });
      }
      if (this.onChange) this.onChange(this.mode);
    }

    // A conversation changed: the host may have drawn new frames or a new reply box.
    refresh() {
      if (this.mode) this.apply();
    }

    push() {
      const width = this.width;
      this.hold(document.documentElement, ["margin-right"]);
      document.documentElement.style.setProperty("margin-right", `${width}px`, "important");
      for (const node of nearTop()) {
        const style = getComputedStyle(node);
        if (style.position !== "fixed") continue;
        const box = node.getBoundingClientRect();
        if (!box.width || box.right < innerWidth - 2) continue; // not against the window's right edge
        this.hold(node, ["right", "max-width"]);
        if (style.right !== "auto") node.style.setProperty("right", `${(parseFloat(style.right) || 0) + width}px`, "important");
        if (style.right === "auto" || box.left <= 2) node.style.setProperty("max-width", `calc(100vw - ${width}px)`, "important");
      }
    }

    hold(node, properties) {
      if (this.moved.has(node)) return;
      this.moved.set(node, properties.map((name) => [name, node.style.getPropertyValue(name),
                                                      node.style.getPropertyPriority(name)]));
    }

    // Gives the host back its own inline styles, exactly as they were.
    release() {
      for (const [node, saved] of this.moved) {
        for (const [name, value, priority] of saved) {
          if (value) node.style.setProperty(name, value, priority);
          else node.style.removeProperty(name);
        }
      }
      this.moved.clear();
    }

    // Overlay only: keep off the reply box. A box low on the page leaves room above it; one
    // taller than that makes the sidebar tuck away once the agent writes in it (`tuck`), not
    // merely because the host shows it.
    avoid(target, { tuck = true } = {}) {
      const box = target instanceof Element ? (target.closest("[contenteditable=true], textarea") || target) : null;
      if (!box || !(box.isContentEditable || box instanceof HTMLTextAreaElement) || !Vouch.isShown(box)) return;
      const reply = box.getBoundingClientRect();
      this.panel.style.bottom = "0px";
      if (!overlaps(reply, this.panel.getBoundingClientRect())) return;
      if (reply.top >= innerHeight * ROOM_ABOVE) {
        this.panel.style.bottom = `${Math.ceil(innerHeight - reply.top) + 8}px`;
      } else if (tuck) {
        this.tucked = true;
        this.apply();
      }
    }

    // Drag the panel's left edge, or focus it and press the arrow keys.
    wireHandle() {
      const handle = this.handle;
      handle.setAttribute("aria-valuemin", String(MIN_WIDTH));
      let dragging = false;
      handle.addEventListener("pointerdown", (event) => {
        dragging = true;
        handle.setPointerCapture(event.pointerId);
        event.preventDefault();
      });
      handle.addEventListener("pointermove", (event) => {
        if (!dragging) return;
        this.width = clampWidth(innerWidth - event.clientX);
        this.apply();
      });
      const stop = () => {
        if (!dragging) return;
        dragging = false;
        this.remember();
      };
      handle.addEventListener("pointerup", stop);
      handle.addEventListener("pointercancel", stop);
      handle.addEventListener("keydown", (event) => {
        const change = { ArrowLeft: STEP, ArrowRight: -STEP, Home: MAX_WIDTH, End: -MAX_WIDTH }[event.key];
        if (change === undefined) return;
        event.preventDefault();
        this.width = clampWidth(this.width + change);
        this.apply();
        this.remember();
      });
    }
  }

  Object.assign(Vouch, { Layout, SIDEBAR_WIDTH: { MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH, PAGE_MIN } });
})();

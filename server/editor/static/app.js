// Vouch web app behaviour: keyboard shortcuts and the editor's draft. Loaded as a file,
// never inline (the Content-Security-Policy allows no inline script).
"use strict";

(function () {
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // "/" focuses search, "e" edits the card on its page, Ctrl/Cmd+S saves in the editor.
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "s") {
      const form = document.querySelector("form[data-editor]");
      if (form) { event.preventDefault(); form.requestSubmit(form.querySelector("button[name=action][value=save]")); }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const key = event.key === "/" ? "/" : event.key.toLowerCase();
    const target = document.querySelector('[data-shortcut="' + key + '"]');
    if (!target) return;
    event.preventDefault();
    if (target.tagName === "A") target.click(); else target.focus();
  });

  document.addEventListener("click", function (event) {
    const back = event.target.closest && event.target.closest("a[data-back]");
    if (back && history.length > 1) { event.preventDefault(); history.back(); }
    const keepTheirs = event.target.closest && event.target.closest("a[data-clear-draft-link]");
    const editor = keepTheirs && document.querySelector("form[data-editor]");
    if (editor) localStorage.removeItem("vouch-draft:" + editor.getAttribute("data-editor"));
    const copier = event.target.closest && event.target.closest("[data-copy]");
    if (copier) copyCard(copier);
    const confirmer = event.target.closest && event.target.closest("[data-confirm]");
    if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) event.preventDefault();
  });

  // Copy a card as rich text (for email and chat editors) with plain text beside it.
  function copyCard(button) {
    const source = document.querySelector(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    const field = "value" in source && /^(INPUT|TEXTAREA)$/.test(source.tagName);
    const html = new Blob([field ? source.value : source.innerHTML], { type: field ? "text/plain" : "text/html" });
    const text = new Blob([field ? source.value : source.innerText], { type: "text/plain" });
    const label = button.textContent;
    const item = field ? { "text/plain": text } : { "text/html": html, "text/plain": text };
    navigator.clipboard.write([new ClipboardItem(item)]).then(function () {
      button.textContent = button.getAttribute("data-copied") || "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    }).catch(function () { button.textContent = "Copy failed"; });
  }

  // Editor drafts: every keystroke is kept in localStorage under the card and the version it
  // started from, so a reload or a crash loses nothing; a successful save clears it.
  function setUpDraft(form) {
    const key = "vouch-draft:" + form.getAttribute("data-editor");
    const fields = Array.from(form.querySelectorAll("[data-draft]"));
    const note = document.querySelector("[data-draft-note]");
    const version = form.querySelector("input[name=version]");
    const saved = localStorage.getItem(key);
    if (saved) {
      try {
        const draft = JSON.parse(saved);
        const differs = fields.some(function (f) { return f.name in draft.values && draft.values[f.name] !== f.value; });
        if (differs) {
          fields.forEach(function (f) { if (f.name in draft.values) f.value = draft.values[f.name]; });
          // The draft stays based on the version it started from: if the card changed since,
          // saving it shows the conflict view instead of overwriting the newer version.
          if (version && draft.version) version.value = draft.version;
          if (note) {
            note.classList.add("shown");
            const when = note.querySelector("[data-draft-time]");
            if (when) when.textContent = new Date(draft.at).toLocaleString();
          }
          fields.forEach(function (f) { f.dispatchEvent(new Event("input", { bubbles: true })); });
        } else {
          localStorage.removeItem(key);
        }
      } catch (e) { localStorage.removeItem(key); }
    }
    form.addEventListener("input", function () {
      const values = {};
      fields.forEach(function (f) { values[f.name] = f.value; });
      localStorage.setItem(key, JSON.stringify({ at: Date.now(), version: version ? version.value : null, values: values }));
    });
    const discard = document.querySelector("[data-draft-discard]");
    if (discard) discard.addEventListener("click", function () { localStorage.removeItem(key); location.reload(); });
  }

  function ready() {
    document.querySelectorAll("form[data-editor]").forEach(setUpDraft);
    // A page that confirms a save names the draft it replaces; drop it.
    document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
      localStorage.removeItem("vouch-draft:" + el.getAttribute("data-clear-draft"));
    });
    const autofocus = document.querySelector("[data-focus-first]");
    if (autofocus) autofocus.focus();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready); else ready();
})();

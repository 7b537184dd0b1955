// Inserting a card into the reply the agent is writing: the host's reply box when its
// adapter knows where that is, else the editable field the agent last typed in.
(() => {
  const Vouch = globalThis.Vouch;
  let lastEditable = null;

  const isEditable = (node) => node instanceof HTMLElement && (node.isContentEditable || node.tagName === "TEXTAREA");

  // The sidebar sits in a closed shadow root: its own fields show up here as its host, not editable.
  document.addEventListener("focusin", (event) => {
    const target = event.composedPath()[0];
    if (isEditable(target)) lastEditable = target.isContentEditable ? target.closest("[contenteditable=true]") || target : target;
  }, true);

  Vouch.replyBox = () => {
    const fromHost = Vouch.adapter && Vouch.adapter.replyBox ? Vouch.adapter.replyBox() : null;
    if (fromHost) return fromHost;
    return lastEditable && lastEditable.isConnected && Vouch.isShown(lastEditable) ? lastEditable : null;
  };

  // Plain text for a textarea: one line per block, as an agent would type it.
  function plainText(fragment) {
    const holder = document.createElement("div");
    holder.append(fragment);
    holder.querySelectorAll("br").forEach((br) => br.replaceWith("\n"));
    holder.querySelectorAll("li").forEach((li) => li.prepend("- "));
    holder.querySelectorAll("p, li, h1, h2, h3, h4, h5, h6, pre, blockquote, tr").forEach((block) => block.append("\n"));
    return holder.textContent.replace(/\n{3,}/g, "\n\n").trim();
  }

  function placeCaretAtEndUnlessInside(box) {
    const selection = window.getSelection();
    if (selection.rangeCount && box.contains(selection.anchorNode)) return;
    const range = document.createRange();
    range.selectNodeContents(box);
    range.collapse(false);
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // `filled` is the card as the server filled it for this conversation ({ html }); its
  // unfilled placeholders are <mark>s, so they stay visible in the reply until the agent
  // writes them in.
  Vouch.insertCard = (filled, box) => {
    box.focus();
    if (box.isContentEditable) {
      placeCaretAtEndUnlessInside(box);
      const holder = document.createElement("div");
      holder.append(Vouch.safeHtml(filled.html));
      // execCommand keeps the host's own undo and change tracking working.
      if (!document.execCommand("insertHTML", false, holder.innerHTML)) {
        window.getSelection().getRangeAt(0).insertNode(Vouch.safeHtml(filled.html));
      }
    } else {
      box.setRangeText(plainText(Vouch.safeHtml(filled.html)), box.selectionStart, box.selectionEnd, "end");
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }
  };
})();

// Gmail's conversation view: the subject in h2.hP, people in span[email] (their name
// in the `name` attribute), each message's text in div.a3s. Gmail keeps the inbox list
// and earlier conversations hidden in the DOM, so everything is read from inside the
// conversation that shows, never from the whole page.
(() => {
  const Vouch = globalThis.Vouch;

  function shownSubject() {
    return [...document.querySelectorAll("h2.hP")].find(Vouch.isShown) || null;
  }

  // The smallest ancestor of the subject that also holds the messages.
  function conversationOf(subject) {
    let node = subject.parentElement;
    while (node && node !== document.body && !node.querySelector("div.a3s")) node = node.parentElement;
    return node || document.body;
  }

  // #inbox/FMfcg…, #label/Work/FMfcg…, #search/refund/FMfcg…: the thread id comes last.
  function threadId() {
    const path = location.hash.replace(/^#/, "").split("?")[0];
    return path.split("/").pop();
  }

  function key() {
    const subject = shownSubject();
    return subject ? `gmail:${threadId()}:${subject.textContent.trim()}` : null;
  }

  function read() {
    const subject = shownSubject();
    if (!subject) return null; // the inbox list, not a conversation
    const conversation = conversationOf(subject);
    const people = [...conversation.querySelectorAll("span[email]")].filter(Vouch.isShown);
    const emails = [...new Set(people.map((p) => (p.getAttribute("email") || "").toLowerCase()).filter(Boolean))];
    const names = [...new Set(people.map((p) => p.getAttribute("name") || p.textContent.trim()).filter(Boolean))];
    const bodies = [...conversation.querySelectorAll("div.a3s")].filter(Vouch.isShown);
    return {
      emails, names, subject: subject.textContent.trim(), url: location.href, key: key(),
      text: Vouch.clip(bodies.map((b) => b.innerText).join("\n\n")),
    };
  }

  // The reply (or a draft) being written in the conversation that shows.
  function replyBox() {
    return [...document.querySelectorAll('div[contenteditable="true"][role="textbox"]')].find(Vouch.isShown) || null;
  }

  // Adapter health: an open conversation must still show its messages' text and their senders.
  const conversation = () => conversationOf(shownSubject());
  const checks = {
    messages: () => Vouch.shown("div.a3s", conversation()).length > 0,
    customer: () => Vouch.shown("span[email]", conversation()).length > 0,
  };

  Vouch.registerAdapter({
    name: "gmail",
    label: "Gmail",
    checks,
    matches: () => location.hostname === "mail.google.com",
    key,
    read,
    replyBox,
    watch: (callback) => Vouch.watchPage(callback),
  });
})();

// Gmail conversation view: senders in span[email], subject in h2.hP, messages in div.a3s.
(() => {
  const Vouch = globalThis.Vouch;

  function read() {
    const subject = document.querySelector("h2.hP");
    const bodies = [...document.querySelectorAll("div.a3s")];
    if (!subject && !bodies.length) return null; // the inbox list, not a conversation
    const people = [...document.querySelectorAll("span[email]")];
    const emails = [...new Set(people.map((p) => (p.getAttribute("email") || "").toLowerCase()).filter(Boolean))];
    const names = [...new Set(people.map((p) => p.getAttribute("name") || p.textContent.trim()).filter(Boolean))];
    const text = Vouch.clip(bodies.map((b) => b.innerText).join("\n\n"));
    const thread = location.hash.replace(/^#/, "").split("?")[0];
    return {
      emails, names, subject: subject ? subject.textContent.trim() : "", text, url: location.href,
      key: `gmail:${thread}:${subject ? subject.textContent.trim() : ""}`,
    };
  }

  Vouch.registerAdapter({
    name: "gmail",
    matches: () => location.hostname === "mail.google.com",
    read,
    watch: (callback) => Vouch.watchPage(callback),
  });
})();

// Any page the user enabled: mailto: links and addresses in the visible text.
(() => {
  const Vouch = globalThis.Vouch;

  const mailtoLinks = () => [...document.querySelectorAll('a[href^="mailto:" i]')];

  function addressOf(link) {
    try { return decodeURIComponent(link.getAttribute("href").slice(7).split("?")[0]); }
    catch { return ""; } // a malformed %-escape on someone else's page is not our error
  }

  // Cheap on purpose: the address, the title and the links change with the conversation.
  function key() {
    return `generic:${location.href}:${document.title}:${mailtoLinks().map(addressOf).join(",")}`;
  }

  function read() {
    const links = mailtoLinks();
    const visible = document.body ? document.body.innerText : "";
    const emails = [...new Set([...Vouch.emailsIn(links.map(addressOf).join(" ")), ...Vouch.emailsIn(visible)])];
    const names = [...new Set(links.map((a) => a.textContent.trim()).filter((name) => name && !name.includes("@")))];
    return { emails, names, subject: document.title, text: Vouch.clip(visible), url: location.href, key: key() };
  }

  Vouch.registerAdapter({
    name: "generic",
    matches: () => true,
    key,
    read,
    watch: (callback) => Vouch.watchPage(callback, 600),
  });
})();

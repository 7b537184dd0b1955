// Any page the user enabled: mailto: links and addresses in the visible text.
(() => {
  const Vouch = globalThis.Vouch;

  function read() {
    const mailto = [...document.querySelectorAll('a[href^="mailto:" i]')]
      .map((a) => decodeURIComponent(a.getAttribute("href").slice(7).split("?")[0]));
    const visible = document.body ? document.body.innerText : "";
    const emails = [...new Set([...Vouch.emailsIn(mailto.join(" ")), ...Vouch.emailsIn(visible)])];
    const names = [...document.querySelectorAll('a[href^="mailto:" i]')].map((a) => a.textContent.trim())
      .filter((name) => name && !name.includes("@"));
    return {
      emails, names, subject: document.title, text: Vouch.clip(visible), url: location.href,
      key: `generic:${location.href}:${emails.join(",")}`,
    };
  }

  Vouch.registerAdapter({
    name: "generic",
    matches: () => true,
    read,
    watch: (callback) => Vouch.watchPage(callback, 600),
  });
})();

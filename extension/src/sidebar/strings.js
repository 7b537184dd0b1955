// Every word the sidebar shows comes from _locales/<language>/messages.json through t(), so
// translating the sidebar is adding one file: the browser picks the agent's language, and
// English where a translation is missing. A name missing from every file shows as itself
// (tests/extension/test_strings.py checks there is none).
(() => {
  const Vouch = globalThis.Vouch;
  Vouch.t = (name, ...values) => chrome.i18n.getMessage(name, values.map(String)) || name;
})();

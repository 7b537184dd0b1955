// The generic adapter runs on sites the user enabled in the options page.

export const GENERIC_FILES = [
  "vendor/purify.min.js", "src/hosts/registry.js",
  // Every adapter: a help desk on the company's own domain is known by its page.
  "src/hosts/gmail.js", "src/hosts/outlook.js", "src/hosts/front.js", "src/hosts/zendesk.js",
  "src/hosts/intercom.js", "src/hosts/helpscout.js", "src/hosts/freshdesk.js", "src/hosts/slack.js",
  "src/hosts/zammad.js", "src/hosts/freescout.js", "src/hosts/generic.js",
  "src/sidebar/strings.js", "src/sidebar/dom.js", "src/sidebar/styles.js", "src/sidebar/layout.js",
  "src/sidebar/customer.js", "src/sidebar/facts.js", "src/sidebar/cards.js",
  "src/sidebar/editor.js", "src/sidebar/search.js", "src/sidebar/queue.js", "src/sidebar/insert.js",
  "src/sidebar/sidebar.js",
  "src/content.js",
];

const SCRIPT_ID = "vouch-generic";

export async function syncGenericScripts(sites) {
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  const matches = (sites || []).map((origin) => `${origin}/*`);
  if (!matches.length) return;
  await chrome.scripting.registerContentScripts([
    { id: SCRIPT_ID, matches, js: GENERIC_FILES, runAt: "document_idle", persistAcrossSessions: true },
  ]);
}

// All of the sidebar's styles live inside its shadow root: the page's CSS cannot reach them.
(() => {
  globalThis.Vouch.STYLES = `
:host { all: initial; }
.panel { position: fixed; top: 0; right: 0; width: 360px; max-width: 100vw; height: 100vh; z-index: 2147483646;
  box-sizing: border-box; display: flex; flex-direction: column; background: #fff; color: #1f2328;
  border-left: 1px solid #d0d7de; box-shadow: -4px 0 16px rgba(0,0,0,.12);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; }
.panel[hidden] { display: none; }
header { display: flex; align-items: center; gap: 8px; padding: 10px 12px; border-bottom: 1px solid #d0d7de; }
header h1 { font-size: 15px; margin: 0; flex: 1; }
.queue { font-size: 12px; background: #fff8c5; border: 1px solid #d4a72c; border-radius: 10px; padding: 0 8px; cursor: pointer; }
.queue[hidden] { display: none; }
main { overflow-y: auto; padding: 8px 12px 24px; flex: 1; }
section { margin: 10px 0 16px; }
h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #59636e; margin: 0 0 6px; }
h3 { font-size: 15px; margin: 4px 0; }
ul { list-style: none; padding: 0; margin: 0; }
li.fact, li.result { border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 8px; margin-bottom: 6px; }
li.fact.pinned { border-color: #0969da; }
li.fact.expired { opacity: .65; }
.fact-body p { margin: 0; }
.meta { font-size: 12px; color: #59636e; }
.tag-expired { font-size: 11px; color: #9a6700; font-weight: 600; margin-left: 4px; }
button { font: inherit; font-size: 13px; border: 1px solid #d0d7de; background: #f6f8fa; color: #1f2328;
  border-radius: 6px; padding: 3px 10px; cursor: pointer; }
button.primary { background: #1f883d; color: #fff; border-color: #1a7f37; }
button.link { border: none; background: none; color: #0969da; padding: 0; text-align: left; font-weight: 600; }
button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 2px solid #0969da; outline-offset: 1px; }
input[type=search], input[type=text], textarea { box-sizing: border-box; width: 100%; font: inherit;
  border: 1px solid #d0d7de; border-radius: 6px; padding: 5px 8px; }
textarea { min-height: 180px; font-family: ui-monospace, monospace; font-size: 13px; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; border-radius: 10px; padding: 0 7px; margin-left: 6px; }
.badge.ok { background: #dafbe1; color: #116329; }
.badge.warn { background: #fff8c5; color: #7d4e00; }
.badge.pin { background: #ddf4ff; color: #0550ae; }
li.result.pinned { border-color: #54aeff; }
.snippet { font-size: 12px; color: #424a53; margin-top: 2px; }
.snippet mark { background: #fff8c5; }
.card-body { border-top: 1px solid #d0d7de; margin-top: 8px; padding-top: 8px; overflow-wrap: anywhere; }
.actions { display: flex; gap: 6px; flex-wrap: wrap; margin: 8px 0; }
.notice { border-radius: 6px; padding: 8px; margin: 8px 0; font-size: 13px; }
.notice.error { background: #ffebe9; border: 1px solid #ff8182; }
.notice.info { background: #ddf4ff; border: 1px solid #54aeff; }
.empty { color: #59636e; font-size: 13px; }
.flag-form { display: flex; gap: 6px; flex-wrap: wrap; margin: 6px 0; }
.flag-form input { flex: 1; min-width: 140px; }
select { font: inherit; font-size: 13px; }
.conflict pre { white-space: pre-wrap; background: #f6f8fa; padding: 6px; border-radius: 6px; max-height: 160px; overflow: auto; }
`;
})();

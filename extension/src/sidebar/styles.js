// All of the sidebar's styles live inside its shadow root: the page's CSS cannot reach them.
// Colours are variables, set for the system's light or dark theme; motion is left out when
// the system asks for less of it.
(() => {
  globalThis.Vouch.STYLES = `
:host { all: initial; }
.panel, .tab {
  --bg: #fff; --fg: #1f2328; --muted: #59636e; --line: #d0d7de; --soft: #f6f8fa; --accent: #0969da;
  --ok-bg: #dafbe1; --ok-fg: #116329; --warn-bg: #fff8c5; --warn-fg: #7d4e00; --warn-line: #d4a72c;
  --info-bg: #ddf4ff; --info-line: #54aeff; --error-bg: #ffebe9; --error-line: #ff8182;
  --primary-bg: #1f883d; --primary-line: #1a7f37; --pin-fg: #0550ae; --shadow: rgba(0,0,0,.12);
  color-scheme: light;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif;
}
@media (prefers-color-scheme: dark) {
  .panel, .tab {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --soft: #151b23; --accent: #4493f8;
    --ok-bg: #12361f; --ok-fg: #56d364; --warn-bg: #3a2d05; --warn-fg: #e3b341; --warn-line: #9e6a03;
    --info-bg: #0c2d4f; --info-line: #1f6feb; --error-bg: #3c1618; --error-line: #da3633;
    --primary-bg: #238636; --primary-line: #2ea043; --pin-fg: #79c0ff; --shadow: rgba(0,0,0,.5);
    color-scheme: dark;
  }
}
.panel { position: fixed; top: 0; right: 0; bottom: 0; width: 360px; max-width: 100vw; z-index: 2147483646;
  box-sizing: border-box; display: flex; flex-direction: column; background: var(--bg); color: var(--fg);
  border-left: 1px solid var(--line); animation: vouch-in .16s ease-out; }
.panel[data-mode=overlay] { box-shadow: -4px 0 16px var(--shadow); }
.panel[hidden], .tab[hidden] { display: none; }
@keyframes vouch-in { from { transform: translateX(24px); opacity: .4; } }
.resize { position: absolute; left: -3px; top: 0; bottom: 0; width: 6px; cursor: ew-resize; z-index: 1; }
.resize:hover, .resize:focus-visible { background: var(--accent); outline: none; }
.tab { position: fixed; right: 0; top: 40%; z-index: 2147483646; writing-mode: vertical-rl; padding: 10px 4px;
  border: 1px solid var(--line); border-right: none; border-radius: 6px 0 0 6px; background: var(--bg); color: var(--fg);
  font-weight: 600; cursor: pointer; box-shadow: -2px 0 8px var(--shadow); }
header { display: flex; align-items: center; gap: 8px; padding: 10px 12px; border-bottom: 1px solid var(--line); }
header h1 { font-size: 15px; margin: 0; flex: 1; }
.queue { font-size: 12px; background: var(--warn-bg); color: var(--warn-fg); border: 1px solid var(--warn-line);
  border-radius: 10px; padding: 0 8px; cursor: pointer; }
.queue[hidden] { display: none; }
main { overflow-y: auto; padding: 8px 12px 24px; flex: 1; }
section { margin: 10px 0 16px; }
h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 6px; }
h3 { font-size: 15px; margin: 4px 0; }
ul { list-style: none; padding: 0; margin: 0; }
li.fact, li.result { border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; margin-bottom: 6px; }
li.fact.pinned { border-color: var(--accent); }
li.fact.expired { opacity: .65; }
.fact-body p { margin: 0; }
.meta { font-size: 12px; color: var(--muted); }
.tag-expired, .tag-stale { font-size: 11px; color: var(--warn-fg); font-weight: 600; margin-left: 4px; }
.customer-head { margin-bottom: 8px; }
.picker { border: 1px solid var(--line); border-radius: 6px; padding: 8px; margin: 6px 0; background: var(--soft); }
.picker-title { font-weight: 600; margin: 0 0 4px; }
.picker ul { margin: 4px 0; }
.picker li { margin: 2px 0; }
.fact-edit label { display: block; font-size: 12px; color: var(--muted); margin-top: 4px; }
.fact-edit label.inline { display: inline-flex; gap: 4px; align-items: center; color: var(--fg); }
.fact-edit fieldset { border: none; padding: 0; margin: 4px 0; display: flex; gap: 8px; flex-wrap: wrap; }
.fact-edit legend { font-size: 12px; color: var(--muted); padding: 0; }
input[type=date] { font: inherit; font-size: 13px; background: var(--bg); color: var(--fg);
  border: 1px solid var(--line); border-radius: 6px; padding: 2px 6px; }
button { font: inherit; font-size: 13px; border: 1px solid var(--line); background: var(--soft); color: var(--fg);
  border-radius: 6px; padding: 3px 10px; cursor: pointer; }
button.primary { background: var(--primary-bg); color: #fff; border-color: var(--primary-line); }
button.link { border: none; background: none; color: var(--accent); padding: 0; text-align: left; font-weight: 600; }
button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible, a:focus-visible,
.tab:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
input[type=search], input[type=text], textarea { box-sizing: border-box; width: 100%; font: inherit;
  background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 6px; padding: 5px 8px; }
textarea { min-height: 180px; font-family: ui-monospace, monospace; font-size: 13px; }
a { color: var(--accent); }
.badge { display: inline-block; font-size: 11px; font-weight: 600; border-radius: 10px; padding: 0 7px; margin-left: 6px; }
.badge.ok { background: var(--ok-bg); color: var(--ok-fg); }
.badge.warn { background: var(--warn-bg); color: var(--warn-fg); }
.badge.pin { background: var(--info-bg); color: var(--pin-fg); }
li.result.pinned { border-color: var(--info-line); }
.snippet { font-size: 12px; color: var(--muted); margin-top: 2px; }
.snippet mark, mark { background: var(--warn-bg); color: inherit; }
.placeholder { display: inline-block; font-size: 12px; line-height: 1.3; padding: 0 6px; border-radius: 10px;
  background: var(--info-bg); color: var(--pin-fg); border: 1px solid var(--info-line); }
.card-body { border-top: 1px solid var(--line); margin-top: 8px; padding-top: 8px; overflow-wrap: anywhere; }
.actions { display: flex; gap: 6px; flex-wrap: wrap; margin: 8px 0; }
.notice { border-radius: 6px; padding: 8px; margin: 8px 0; font-size: 13px; }
.notice.error { background: var(--error-bg); border: 1px solid var(--error-line); }
.notice.info { background: var(--info-bg); border: 1px solid var(--info-line); }
.empty { color: var(--muted); font-size: 13px; }
.flag-form { display: flex; gap: 6px; flex-wrap: wrap; margin: 6px 0; }
.flag-form input { flex: 1; min-width: 140px; }
select { font: inherit; font-size: 13px; background: var(--bg); color: var(--fg); }
.conflict pre { white-space: pre-wrap; background: var(--soft); padding: 6px; border-radius: 6px; max-height: 160px; overflow: auto; }
@media (prefers-reduced-motion: reduce) {
  .panel, .tab { animation: none; transition: none; }
}
`;
})();

// The one HTML page (every route serves it; the script draws the view the URL names) and its
// style sheet. No inline script or style, so the CSP can forbid both.

export function pageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>logmedic</title>
<link rel="stylesheet" href="/assets/uPlot.css">
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/uPlot.js" defer></script>
<script type="module" src="/assets/js/app.js"></script>
</head>
<body>
<header>
  <strong class="brand">logmedic</strong>
  <nav>
    <a href="/diagnosis" data-nav="diagnosis">Diagnosis</a>
    <a href="/recovery" data-nav="recovery">Recovery</a>
    <a href="/live" data-nav="live">Live</a>
    <a href="/catalog" data-nav="catalog">Catalog</a>
  </nav>
  <span id="who"></span>
</header>
<main id="main"><p class="muted">loading…</p></main>
</body>
</html>
`;
}

export const STYLE_CSS = `
:root { --fg: #1d232b; --muted: #66707c; --line: #d9dee4; --bg: #f6f7f9; --accent: #2457c5; --bad: #b3261e; --ok: #1e7b34; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; gap: 24px; align-items: center; padding: 8px 20px; background: #fff; border-bottom: 1px solid var(--line); }
header nav a { margin-right: 14px; color: var(--muted); text-decoration: none; padding: 4px 2px; }
header nav a.active { color: var(--fg); border-bottom: 2px solid var(--accent); }
#who { margin-left: auto; color: var(--muted); }
main { padding: 16px 20px; max-width: 1400px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; margin-bottom: 14px; }
h2 { font-size: 15px; margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; }
tr.clickable { cursor: pointer; }
tr.clickable:hover, tr.selected { background: #eef3fd; }
pre { background: #f3f4f6; padding: 8px; overflow: auto; max-height: 420px; white-space: pre-wrap; word-break: break-all; margin: 6px 0; }
pre.context { color: var(--muted); }
code { font-size: 12px; }
.muted { color: var(--muted); }
.inferred { font-style: italic; color: #9a6700; }
.row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 8px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
button { font: inherit; padding: 3px 10px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger { background: var(--bad); border-color: var(--bad); color: #fff; }
button:disabled { opacity: .5; cursor: default; }
input, select { font: inherit; padding: 3px 6px; border: 1px solid var(--line); border-radius: 4px; }
.error { color: var(--bad); }
.ok { color: var(--ok); }
.failed { color: var(--bad); }
.skipped { color: var(--warn); }
.pill { display: inline-block; padding: 0 6px; border-radius: 8px; background: #eef0f3; font-size: 12px; margin-right: 4px; }
.step { border-top: 1px solid var(--line); padding: 8px 0; }
.step:first-child { border-top: 0; }
.live-list { max-height: 520px; overflow: auto; font-family: ui-monospace, monospace; font-size: 12px; }
.live-list div { padding: 2px 0; border-bottom: 1px dotted var(--line); }
#chart { min-height: 240px; }
.login { max-width: 320px; margin: 60px auto; }
.login label { display: block; margin: 8px 0; }
.login input { width: 100%; }
`;

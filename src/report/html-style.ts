/**
 * The HTML report's style sheet, inlined into every report (the page loads nothing). Colours are
 * CSS variables with a dark variant; chart strokes and text take them through classes, so the
 * SVG carries data colours only.
 */
export const HTML_STYLE = `
:root { --bg: #f6f7f9; --card: #fff; --fg: #1d2330; --muted: #5d6677; --line: #d9dde4; --grid: #eceef2;
  --pass: #1a7f37; --fail: #c0392b; --warn: #9a6700; --band: #f2f4f7; --band-odd: #e9edf2; --mark: #333; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #14171c; --card: #1d2128; --fg: #e3e6eb; --muted: #9aa3b2; --line: #353b46; --grid: #2a2f38;
    --pass: #4ac26b; --fail: #ff6b5e; --warn: #d4a72c; --band: #20252d; --band-odd: #262c35; --mark: #ddd; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 22px; margin: 0 0 6px; } h2 { font-size: 18px; margin: 0 0 8px; } h3 { font-size: 16px; margin: 0; }
code, pre, .numbers, .where { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; margin: 16px 0; }
.run-head { display: flex; gap: 14px; align-items: flex-start; }
.run-head .badge { margin-top: 2px; flex: none; }
.description { color: var(--muted); margin: 4px 0 8px; max-width: 80ch; }
.meta { color: var(--muted); display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 0; padding: 0; list-style: none; }
.badge { display: inline-block; border-radius: 999px; padding: 2px 10px; font-weight: 600; font-size: 12px; color: #fff; letter-spacing: .02em; }
.badge.passed, .badge.pass { background: var(--pass); } .badge.failed, .badge.fail, .badge.error, .badge.interrupted { background: var(--fail); }
.badge.skipped { background: var(--warn); } .badge.big { font-size: 15px; padding: 4px 14px; }
.tiles { display: flex; gap: 10px; flex-wrap: wrap; margin-top: 12px; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: 6px 12px; min-width: 110px; }
.tile b { display: block; font-size: 18px; } .tile span { color: var(--muted); font-size: 12px; }
.alert { border-left: 4px solid var(--fail); padding: 8px 12px; background: color-mix(in srgb, var(--fail) 8%, var(--card)); white-space: pre-wrap; }
.alert.warn { border-color: var(--warn); background: color-mix(in srgb, var(--warn) 8%, var(--card)); }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; color: var(--muted); font-size: 12px; margin: 6px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -2px; margin-right: 5px; }
.swatch.line { height: 0; border-top: 2px dashed var(--fail); border-radius: 0; width: 16px; vertical-align: 3px; }
.swatch.tick { width: 3px; height: 14px; background: var(--mark); border-radius: 0; }
.swatch.event { width: 0; height: 14px; border-left: 2px dotted var(--mark); border-radius: 0; }
.phase-head { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.phase-stats { color: var(--muted); margin: 4px 0 10px; }
.charts { display: grid; grid-template-columns: minmax(280px, 400px) minmax(320px, 1fr); gap: 12px 20px; align-items: start; }
.charts figure.wide { grid-column: 1 / -1; }
figure { margin: 0; } figcaption { color: var(--muted); font-size: 12px; margin-bottom: 4px; }
svg.chart { width: 100%; height: auto; display: block; overflow: visible; }
svg .grid { stroke: var(--grid); stroke-width: 1; } svg .axis { stroke: var(--line); stroke-width: 1; }
svg text { fill: var(--muted); font-size: 11px; } svg .label { fill: var(--fg); font-size: 12px; } svg .value { fill: var(--fg); font-size: 12px; }
svg .axis-title { font-size: 11px; } svg .band-label { fill: var(--fg); font-size: 11px; font-weight: 600; }
svg rect.band { fill: var(--band); } svg rect.band.odd { fill: var(--band-odd); }
svg .series { stroke-linejoin: round; stroke-linecap: round; }
svg .series.area { stroke: none; fill-opacity: .85; }
svg .series.failures { fill: none; stroke-dasharray: 5 3; stroke-width: 2; }
svg line.event { stroke: var(--mark); stroke-width: 1.2; stroke-dasharray: 2 3; } svg .event-label { fill: var(--fg); font-size: 11px; }
svg line.expected { stroke: var(--mark); stroke-width: 3; } svg line.percentile { stroke: var(--mark); stroke-width: 1; stroke-dasharray: 4 3; }
svg .bucket:hover rect, svg .share-row:hover rect { opacity: .8; }
table { border-collapse: collapse; width: 100%; margin-top: 12px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-top: 1px solid var(--line); }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td { background: color-mix(in srgb, var(--fail) 6%, transparent); }
.why { margin-top: 4px; } .numbers, .where { color: var(--muted); margin-top: 4px; } .numbers { word-break: break-word; } .where { white-space: nowrap; }
.observed { word-break: break-word; }
details > summary { cursor: pointer; color: var(--muted); } pre { overflow-x: auto; background: var(--bg); padding: 10px; border-radius: 6px; }
.regressed { color: var(--fail); font-weight: 600; }
footer { color: var(--muted); font-size: 12px; text-align: center; margin-top: 24px; }
@media (max-width: 760px) { .charts { grid-template-columns: 1fr; } }
`;

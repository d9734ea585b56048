/**
 * The HTML report's per-phase charts besides the timeline: each backend's observed share as a bar
 * against its expected share (a dark tick), and the latency distribution as a histogram on a log
 * axis (ten buckets per decade, so bars are equally wide), each bar stacked by the answering
 * backend, with p50 and p99 marked. Pure: -> SVG text.
 */
import type { LatencyHistogram, PhaseReport } from '../runner/report-model.js';
import { pct, us } from './format.js';
import { esc, f, type Frame, niceTicks, plotHeight, plotWidth, svgOpen, xAxis, yAxis } from './svg.js';

/** Responses without a backend (the balancer's own pages) in a histogram. */
const OTHER_COLOR = '#A0A0A0';

export function shareChart(p: PhaseReport, colors: ReadonlyMap<string, string>): string {
  const rowH = 30;
  const fr: Frame = { width: 400, height: 40 + rowH * p.backends.length, left: 78, right: 120, top: 8, bottom: 32 };
  const most = Math.max(0.01, ...p.backends.map((b) => Math.max(b.share, b.expectedShare ?? 0)));
  const all = niceTicks(Math.min(1, most), 4);
  const top = Math.min(1, all[all.length - 1]!);
  const ticks = all.filter((t) => t <= top + 1e-9);
  const x = (share: number): number => fr.left + (plotWidth(fr) * Math.min(share, top)) / top;
  const out = [svgOpen('share', fr, `observed and expected share per backend in ${p.name}`)];
  for (const t of ticks) out.push(`<line class="grid" x1="${f(x(t))}" x2="${f(x(t))}" y1="${fr.top}" y2="${fr.height - fr.bottom}"/>`);
  p.backends.forEach((b, i) => {
    const y = fr.top + i * rowH + 5;
    const tip = `${b.name}: ${b.received} requests, ${pct(b.share)}${b.expectedShare === null ? '' : `; expected ${pct(b.expectedShare)}`}`;
    out.push(`<g class="share-row" data-backend="${esc(b.name)}"><title>${esc(tip)}</title>`);
    out.push(`<text class="label" x="${fr.left - 8}" y="${f(y + 15)}" text-anchor="end">${esc(b.name)}</text>`);
    out.push(`<rect class="bar" data-backend="${esc(b.name)}" x="${fr.left}" y="${f(y)}" width="${f(Math.max(0, x(b.share) - fr.left))}" height="20" fill="${colors.get(b.name) ?? '#888'}"/>`);
    if (b.expectedShare !== null) out.push(`<line class="expected" x1="${f(x(b.expectedShare))}" x2="${f(x(b.expectedShare))}" y1="${f(y - 3)}" y2="${f(y + 23)}"/>`);
    const text = b.expectedShare === null ? pct(b.share) : `${pct(b.share)} / ${pct(b.expectedShare)}`;
    out.push(`<text class="value" x="${fr.width - fr.right + 6}" y="${f(y + 15)}">${esc(text)}</text></g>`);
  });
  out.push(xAxis(fr, ticks.map((t) => ({ x: x(t), label: `${Math.round(t * 100)}%` })), 'share of requests: bar observed, tick expected'));
  out.push('</svg>');
  return out.join('');
}

/** Buckets from the first non-empty to the last non-empty; null when none. */
export function histogramRange(h: LatencyHistogram): { from: number; to: number } | null {
  const from = h.counts.findIndex((n) => n > 0);
  if (from < 0) return null;
  let to = h.counts.length - 1;
  while (h.counts[to] === 0) to--;
  return { from, to };
}

/** `250 µs–316 µs`; the first and last buckets are open. */
function bucketLabel(h: LatencyHistogram, i: number): string {
  if (i === 0) return `< ${us(h.boundsUs[0]!)}`;
  if (i >= h.boundsUs.length) return `≥ ${us(h.boundsUs[h.boundsUs.length - 1]!)}`;
  return `${us(h.boundsUs[i - 1]!)}–${us(h.boundsUs[i]!)}`;
}

export function latencyChart(p: PhaseReport, colors: ReadonlyMap<string, string>): string {
  const h = p.histogram;
  const range = h === undefined ? null : histogramRange(h);
  if (h === undefined || range === null) return '';
  const fr: Frame = { width: 560, height: 230, left: 52, right: 12, top: 30, bottom: 38 };
  const n = range.to - range.from + 1;
  const bw = plotWidth(fr) / n;
  const ticks = niceTicks(Math.max(...h.counts.slice(range.from, range.to + 1)));
  const top = ticks[ticks.length - 1]!;
  const y = (v: number): number => fr.top + plotHeight(fr) * (1 - v / top);
  const out = [svgOpen('latency', fr, `latency distribution of ${p.name}`), yAxis(fr, ticks, 'responses')];
  for (let i = range.from; i <= range.to; i++) {
    const x = fr.left + (i - range.from) * bw;
    out.push(`<g class="bucket"><title>${esc(`${bucketLabel(h, i)}: ${h.counts[i]} responses`)}</title>`);
    let base = 0;
    const parts = Object.entries(h.byBackend).map(([name, row]) => [name, row[i] ?? 0] as const);
    const other = h.counts[i]! - parts.reduce((a, [, c]) => a + c, 0);
    for (const [name, count] of [...parts, ['', other] as const]) {
      if (count <= 0) continue;
      const fill = name === '' ? OTHER_COLOR : colors.get(name) ?? '#888';
      out.push(`<rect class="seg" x="${f(x + 0.5)}" y="${f(y(base + count))}" width="${f(Math.max(0.5, bw - 1))}" height="${f(y(base) - y(base + count))}" fill="${fill}"/>`);
      base += count;
    }
    out.push('</g>');
  }
  const xAt = (latencyUs: number): number => {
    const i = h.boundsUs.findIndex((b) => latencyUs < b);
    const k = i < 0 ? h.boundsUs.length : i;
    const lo = h.boundsUs[k - 1], hi = h.boundsUs[k];
    const frac = lo === undefined || hi === undefined ? 0.5 : Math.log(latencyUs / lo) / Math.log(hi / lo);
    return fr.left + (k - range.from + frac) * bw;
  };
  const decades = h.boundsUs.map((b, i) => ({ b, i })).filter(({ b, i }) => /^10*$/.test(String(b)) && i + 1 >= range.from && i + 1 <= range.to + 1);
  const decade = (b: number): string => (b >= 1_000_000 ? `${b / 1_000_000} s` : b >= 1000 ? `${b / 1000} ms` : `${b} µs`);
  out.push(xAxis(fr, decades.map(({ b, i }) => ({ x: fr.left + (i + 1 - range.from) * bw, label: decade(b) })), 'latency (log scale), stacked by backend'));
  for (const [name, v] of [['p50', p.latency.p50Us], ['p99', p.latency.p99Us]] as const) {
    if (v === null) continue;
    const x = xAt(v);
    out.push(`<g class="percentile"><line class="percentile" x1="${f(x)}" x2="${f(x)}" y1="${fr.top - 4}" y2="${fr.height - fr.bottom}"/><text class="event-label" x="${f(x + 3)}" y="${name === 'p50' ? fr.top - 8 : fr.top + 4}">${name} ${esc(us(v))}</text></g>`);
  }
  out.push('</svg>');
  return out.join('');
}

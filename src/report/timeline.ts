/**
 * Timelines for the HTML report, interval by interval, one stacked area per backend (stacked, so
 * that two backends with the same load do not hide one another), the failed requests as a dashed
 * red line, and the moments of the actions (kill, revive, switch, reload) as labelled vertical
 * marks — so that failover and recovery show at a glance. phaseTimeline: requests per second in
 * one phase. runTimeline: the phases that sent traffic end to end on bands named after them, each
 * backend's share of each interval's requests. Rates, not counts: the interval differs from phase
 * to phase, and the last interval of a phase is usually shorter. Pure: -> SVG text.
 */
import type { PhaseReport, RunReport } from '../runner/report-model.js';
import { eventLabel } from './format.js';
import { esc, f, FAILURE_COLOR, type Frame, niceTicks, plotHeight, plotWidth, secondsLabel, svgOpen, xAxis, yAxis } from './svg.js';

interface Rates {
  /** Middle of each interval, ms from the start of the phase's traffic. */
  readonly midsMs: readonly number[];
  readonly series: ReadonlyMap<string, readonly number[]>;
  readonly failures: readonly number[] | null;
  readonly spanMs: number;
}

/** Requests per second in each interval; a last interval shorter than half the others counts as half. */
export function phaseRates(p: PhaseReport): Rates {
  const iv = p.timeline.intervalMs;
  const lists = Object.values(p.timeline.series);
  const slots = lists[0]?.length ?? 0;
  const spanMs = Math.max(slots * iv - iv + 1, Math.min(slots * iv, p.durationMs));
  const widths = Array.from({ length: slots }, (_, k) => (k < slots - 1 ? iv : Math.max(iv / 2, spanMs - k * iv)));
  const rate = (row: readonly number[]): number[] => row.map((n, k) => (n * 1000) / widths[k]!);
  const midsMs = widths.map((w, k) => k * iv + Math.min(w, spanMs - k * iv) / 2);
  const failures = p.timeline.failures !== undefined && p.timeline.failures.some((n) => n > 0) ? rate(p.timeline.failures) : null;
  return { midsMs, series: new Map(Object.entries(p.timeline.series).map(([n, row]) => [n, rate(row)])), failures, spanMs };
}

const ranPhases = (r: RunReport): PhaseReport[] => r.phases.filter((p) => p.skipped === null && Object.keys(p.timeline.series).length > 0 && p.timeline.intervalMs > 0);

/** Time ticks along [0, spanMs] at x(ms): about six, on whole steps of 1, 2 or 5. */
function timeTicks(spanMs: number, x: (ms: number) => number): { x: number; label: string }[] {
  return niceTicks(spanMs, 6).filter((ms) => ms <= spanMs).map((ms) => ({ x: x(ms), label: secondsLabel(ms) }));
}

/** Vertical marks with labels; labels that would overlap step down a row (three rows). */
function eventMarks(fr: Frame, marks: readonly { x: number; label: string; title: string }[]): string {
  const lastInRow = [-Infinity, -Infinity, -Infinity];
  const out: string[] = [];
  for (const m of [...marks].sort((a, b) => a.x - b.x)) {
    const width = m.label.length * 6.5 + 8;
    let row = lastInRow.findIndex((end) => m.x >= end);
    if (row < 0) row = lastInRow.indexOf(Math.min(...lastInRow));
    lastInRow[row] = m.x + width;
    const y = 12 + row * 12;
    out.push(`<g class="event"><title>${esc(m.title)}</title><line class="event" x1="${f(m.x)}" x2="${f(m.x)}" y1="${y + 2}" y2="${fr.height - fr.bottom}"/>`
      + `<text class="event-label" x="${f(m.x + 3)}" y="${y}">${esc(m.label)}</text></g>`);
  }
  return out.join('');
}

/** A closed area between two edges sampled at the same xs: the top left to right, the bottom back. */
function area(xs: readonly number[], top: readonly number[], bottom: readonly number[]): string {
  const pts = [...xs.map((x, k) => [x, top[k]!] as const), ...xs.map((x, k) => [x, bottom[k]!] as const).reverse()];
  return pts.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${f(x)} ${f(y)}`).join('') + 'Z';
}

function line(xs: readonly number[], ys: readonly number[]): string {
  return xs.map((x, k) => `${k === 0 ? 'M' : 'L'}${f(x)} ${f(ys[k]!)}`).join('');
}

/** The xs of a phase: its edges and the middle of every interval (values held flat to the edges). */
function sampleXs(rt: Rates, at: (ms: number) => number): number[] {
  return [at(0), ...rt.midsMs.map(at), at(rt.spanMs)];
}
const held = (row: readonly number[]): number[] => [row[0] ?? 0, ...row, row[row.length - 1] ?? 0];

/**
 * Stacked areas (first backend at the bottom) of `values(rates)` per backend, one <path> per
 * backend holding one closed area per phase, and the failures as a dashed line on the same scale.
 */
function stacked(parts: readonly { rt: Rates; at: (ms: number) => number }[], y: (v: number) => number, scale: (rt: Rates, k: number, v: number) => number, colors: ReadonlyMap<string, string>): string {
  const areas = new Map<string, string[]>();
  const failures: string[] = [];
  for (const { rt, at } of parts) {
    const xs = sampleXs(rt, at);
    let base = new Array<number>(xs.length).fill(0);
    for (const [name, row] of rt.series) {
      const top = held(row.map((v, k) => scale(rt, k, v))).map((v, k) => base[k]! + v);
      let list = areas.get(name);
      if (list === undefined) areas.set(name, (list = []));
      list.push(area(xs, top.map(y), base.map(y)));
      base = top;
    }
    if (rt.failures !== null) failures.push(line(xs, held(rt.failures.map((v, k) => scale(rt, k, v))).map(y)));
  }
  const out: string[] = [];
  for (const [name, list] of areas) {
    const color = colors.get(name) ?? '#888';
    out.push(`<path class="series area" data-backend="${esc(name)}" d="${list.join('')}" fill="${color}" stroke="${color}"><title>${esc(name)}</title></path>`);
  }
  if (failures.length > 0) out.push(`<path class="series failures" data-series="failures" d="${failures.join('')}" stroke="${FAILURE_COLOR}"><title>failed requests (no response or 5xx)</title></path>`);
  return out.join('');
}

/** Requests per second in each interval, summed over the backends (the top of the stack). */
function totals(rt: Rates): number[] {
  const sum = new Array<number>(rt.midsMs.length).fill(0);
  for (const row of rt.series.values()) row.forEach((v, k) => { sum[k]! += v; });
  return sum;
}

export function phaseTimeline(p: PhaseReport, colors: ReadonlyMap<string, string>): string {
  const fr: Frame = { width: 1000, height: 240, left: 56, right: 14, top: 46, bottom: 38 };
  const rt = phaseRates(p);
  const ticks = niceTicks(Math.max(...totals(rt), ...(rt.failures ?? [])));
  const top = ticks[ticks.length - 1]!;
  const x = (ms: number): number => fr.left + (plotWidth(fr) * ms) / rt.spanMs;
  const y = (v: number): number => fr.top + plotHeight(fr) * (1 - v / top);
  const marks = p.events.map((e) => ({ x: x(Math.min(rt.spanMs, Math.max(0, e.atMs))), label: eventLabel(e), title: `${eventLabel(e)} at ${e.atMs} ms` }));
  return svgOpen('timeline', fr, `requests per second per backend during ${p.name}`)
    + yAxis(fr, ticks, 'requests/s') + xAxis(fr, timeTicks(rt.spanMs, x), `time since the phase's traffic started (${p.timeline.intervalMs} ms intervals), backends stacked`)
    + stacked([{ rt, at: x }], y, (_, __, v) => v, colors) + eventMarks(fr, marks) + '</svg>';
}

/** No phase narrower than this share of the run's chart, however short. */
const MIN_PHASE_WIDTH = 0.07;

/**
 * The whole run: the phases that sent traffic, end to end (the set-up between them left out),
 * each at least MIN_PHASE_WIDTH wide; per interval each backend's share of the requests, stacked
 * to 100%, so that the rate of a phase does not hide who served it.
 */
export function runTimeline(r: RunReport, colors: ReadonlyMap<string, string>): string {
  const phases = ranPhases(r);
  if (phases.length === 0) return '';
  const fr: Frame = { width: 1000, height: 270, left: 56, right: 14, top: 60, bottom: 30 };
  const rates = phases.map(phaseRates);
  const total = rates.reduce((a, rt) => a + rt.spanMs, 0);
  const widths = rates.map((rt) => Math.max(rt.spanMs / total, MIN_PHASE_WIDTH));
  const sumW = widths.reduce((a, b) => a + b, 0);
  const y = (v: number): number => fr.top + plotHeight(fr) * (1 - v);
  const bands: string[] = [];
  const marks: { x: number; label: string; title: string }[] = [];
  const parts: { rt: Rates; at: (ms: number) => number }[] = [];
  let left = fr.left;
  phases.forEach((p, i) => {
    const rt = rates[i]!;
    const w = (plotWidth(fr) * widths[i]!) / sumW;
    const x0 = left;
    const at = (ms: number): number => x0 + (w * ms) / rt.spanMs;
    left += w;
    parts.push({ rt, at });
    const room = Math.floor((w - 8) / 6.5);
    const name = `${p.index + 1} ${p.name} (${secondsLabel(rt.spanMs)})`;
    const label = room >= name.length ? name : room >= 3 ? `${name.slice(0, room - 1)}…` : '';
    bands.push(`<g class="band"><title>${esc(`phase ${p.index + 1}: ${p.name}, ${secondsLabel(rt.spanMs)}`)}</title><rect class="band${i % 2 ? ' odd' : ''}" x="${f(x0)}" y="${fr.top}" width="${f(w)}" height="${plotHeight(fr)}"/>`
      + `<text class="band-label" x="${f(x0 + 4)}" y="${fr.height - fr.bottom + 14}">${esc(label)}</text></g>`);
    for (const e of p.events) marks.push({ x: at(Math.min(rt.spanMs, Math.max(0, e.atMs))), label: eventLabel(e), title: `phase ${p.index + 1}: ${eventLabel(e)} at ${e.atMs} ms` });
  });
  const sums = new Map(rates.map((rt) => [rt, totals(rt)]));
  const share = (rt: Rates, k: number, v: number): number => {
    const sum = sums.get(rt)![k]!;
    return sum > 0 ? Math.min(1, v / sum) : 0;
  };
  return svgOpen('run-timeline', fr, 'share of requests per backend, interval by interval, over the run')
    + bands.join('') + yAxis(fr, [0, 0.25, 0.5, 0.75, 1], 'share of requests', (v) => `${v * 100}%`)
    + stacked(parts, y, share, colors) + eventMarks(fr, marks) + '</svg>';
}

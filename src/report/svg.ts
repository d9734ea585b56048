/**
 * What the HTML report's charts share: escaping, rounded coordinates, "nice" axis ticks, axes
 * with grid lines, and one colour per backend (Okabe–Ito, told apart with colour-blindness),
 * the same in every chart of a report. Pure; SVG text only, styled by the page's CSS classes.
 */

export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A coordinate to one decimal, so that the markup stays small and the snapshots stable. */
export const f = (x: number): string => String(Math.round(x * 10) / 10);

const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#8C7A00', '#7F7F7F'];

/** The failures series and failed marks. */
export const FAILURE_COLOR = '#C0392B';

/** Backend name -> colour, by order of first appearance; past eight, hues spaced by the golden angle. */
export function palette(names: readonly string[]): Map<string, string> {
  return new Map(names.map((n, i) => [n, OKABE_ITO[i] ?? `hsl(${Math.round((i * 137.5) % 360)} 60% 45%)`]));
}

/** Ticks 0, step, 2·step… with step 1, 2 or 5 × 10^k, about `count` of them, covering `max`. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2; v += step) ticks.push(Math.round(v / step) * step);
  if (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + step);
  return ticks;
}

/** A short number for an axis: 1200 -> 1.2k. */
export function short(x: number): string {
  if (Math.abs(x) >= 1_000_000) return `${Number((x / 1_000_000).toPrecision(3))}M`;
  if (Math.abs(x) >= 1000) return `${Number((x / 1000).toPrecision(3))}k`;
  return String(Number(x.toPrecision(3)));
}

/** The plotting area inside a chart, and its scales. */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

export const plotWidth = (fr: Frame): number => fr.width - fr.left - fr.right;
export const plotHeight = (fr: Frame): number => fr.height - fr.top - fr.bottom;

/** Y grid lines and labels for `ticks` (values), and the axis title, rotated. */
export function yAxis(fr: Frame, ticks: readonly number[], title: string, label: (v: number) => string = short): string {
  const top = ticks[ticks.length - 1]!;
  const out: string[] = [];
  for (const v of ticks) {
    const y = fr.top + plotHeight(fr) * (1 - v / top);
    out.push(`<line class="grid" x1="${fr.left}" x2="${fr.width - fr.right}" y1="${f(y)}" y2="${f(y)}"/>`);
    out.push(`<text class="tick" x="${fr.left - 6}" y="${f(y + 4)}" text-anchor="end">${esc(label(v))}</text>`);
  }
  const cy = fr.top + plotHeight(fr) / 2;
  out.push(`<text class="axis-title" transform="translate(12 ${f(cy)}) rotate(-90)" text-anchor="middle">${esc(title)}</text>`);
  return out.join('');
}

/** X tick labels under the plot at the given positions, and the axis title. */
export function xAxis(fr: Frame, ticks: readonly { readonly x: number; readonly label: string }[], title: string): string {
  const y = fr.height - fr.bottom;
  const out = [`<line class="axis" x1="${fr.left}" x2="${fr.width - fr.right}" y1="${y}" y2="${y}"/>`];
  for (const t of ticks) {
    out.push(`<line class="axis" x1="${f(t.x)}" x2="${f(t.x)}" y1="${y}" y2="${y + 4}"/>`);
    out.push(`<text class="tick" x="${f(t.x)}" y="${y + 16}" text-anchor="middle">${esc(t.label)}</text>`);
  }
  out.push(`<text class="axis-title" x="${f(fr.left + plotWidth(fr) / 2)}" y="${fr.height - 4}" text-anchor="middle">${esc(title)}</text>`);
  return out.join('');
}

export function svgOpen(chart: string, fr: Frame, label: string): string {
  return `<svg class="chart" data-chart="${chart}" viewBox="0 0 ${fr.width} ${fr.height}" role="img" aria-label="${esc(label)}" xmlns="http://www.w3.org/2000/svg">`;
}

/** Seconds for a time axis: 0 s, 0.5 s, 2 s. */
export const secondsLabel = (ms: number): string => `${Number((ms / 1000).toPrecision(3))} s`;

/**
 * The HTML report as text: snapshots on every fixture (times and ports scrubbed); self-contained
 * (no script, no address to fetch, a policy that forbids fetching); per phase as many share bars
 * as backends, one timeline series per backend, one histogram bar per latency bucket from the
 * first to the last non-empty one, one mark per action; names escaped. html-browser.test.ts
 * opens it in a real browser.
 */
import t from 'tap';
import type { RunReport } from '../runner/report-model.js';
import { compareRuns } from './baseline.js';
import { histogramRange } from './charts.js';
import { ALL, FAILOVER, LEGACY, SKIPPED_RUN, WEIGHTED, scrub } from './fixtures/index.js';
import { backendNames } from './format.js';
import { renderHtml } from './html.js';

t.cleanSnapshot = scrub;

const count = (s: string, re: RegExp): number => (s.match(re) ?? []).length;

/** The markup of each phase's section, by phase index. */
function phaseSections(html: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const part of html.split('<section class="card phase').slice(1)) {
    const index = Number(/data-phase="(\d+)"/.exec(part)![1]);
    out.set(index, part.slice(0, part.indexOf('</section>')));
  }
  return out;
}

function chart(section: string, name: string): string {
  const start = section.indexOf(`data-chart="${name}"`);
  return start < 0 ? '' : section.slice(start, section.indexOf('</svg>', start));
}

for (const [name, report] of Object.entries(ALL)) {
  t.test(name, async (t) => {
    t.matchSnapshot(renderHtml([report]));
  });
}

t.test('self-contained: no script, nothing to fetch, a policy that forbids fetching', async (t) => {
  for (const [name, report] of Object.entries(ALL)) {
    const html = renderHtml([report]);
    t.notMatch(html, /<script|<link|<img|<iframe|@import|url\(/i, `${name}: nothing loaded`);
    const markup = html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '').replace(/<pre>[^]*?<\/pre>/g, '');
    t.notMatch(markup, /\b(src|href)=|https?:\/\/(?!127\.0\.0\.1)/, `${name}: no address but the target's (the configuration aside)`);
    t.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
  }
});

t.test('per phase: a share bar per backend, a series per backend, a bar per bucket, a mark per action', async (t) => {
  for (const report of [WEIGHTED, FAILOVER]) {
    const sections = phaseSections(renderHtml([report]));
    for (const p of report.phases) {
      const s = sections.get(p.index)!;
      const what = `${report.suite.file} phase ${p.index + 1}`;
      t.equal(count(chart(s, 'share'), /<rect class="bar"/g), p.backends.length, `${what}: share bars`);
      t.equal(count(chart(s, 'share'), /<line class="expected"/g), p.backends.filter((b) => b.expectedShare !== null).length, `${what}: expected ticks`);
      t.equal(count(chart(s, 'timeline'), /<path class="series area" data-backend=/g), Object.keys(p.timeline.series).length, `${what}: series`);
      t.equal(count(chart(s, 'timeline'), /<line class="event"/g), p.events.length, `${what}: action marks`);
      const range = histogramRange(p.histogram!)!;
      t.equal(count(chart(s, 'latency'), /<g class="bucket">/g), range.to - range.from + 1, `${what}: histogram bars`);
    }
  }
});

t.test('the whole run: a series per backend, a band per phase, a mark per action', async (t) => {
  const html = renderHtml([WEIGHTED]);
  const run = html.slice(html.indexOf('data-chart="run-timeline"'), html.indexOf('</svg>', html.indexOf('data-chart="run-timeline"')));
  t.equal(count(run, /<path class="series area"/g), backendNames(WEIGHTED).length);
  t.equal(count(run, /<rect class="band/g), WEIGHTED.phases.length);
  t.equal(count(run, /<line class="event"/g), WEIGHTED.phases.reduce((a, p) => a + p.events.length, 0));
  t.equal(count(renderHtml([FAILOVER]), /data-series="failures"/g), 3, 'failed requests: the run and both phases');
});

t.test('verdicts: one row each, the failed ones again at the top', async (t) => {
  const html = renderHtml([FAILOVER]);
  t.equal(count(html, /<tr class="pass">/g), 3);
  t.equal(count(html, /<tr class="fail">/g), 6);
  t.match(html, /<h2 style="margin-top:14px">Failed verdicts<\/h2>/);
});

t.test('several runs and a baseline on one page', async (t) => {
  const html = renderHtml([WEIGHTED, FAILOVER, SKIPPED_RUN], { comparisons: [compareRuns(FAILOVER, FAILOVER, 0.1, 'base.json')] });
  t.equal(count(html, /<section class="run" /g), 3);
  t.match(html, /<title>lbtest: 3 runs<\/title>/);
  t.match(html, /<section class="card baseline" data-run="failover\.bundled">/);
  t.matchSnapshot(html.slice(html.indexOf('<section class="card baseline"')), 'the baseline section');
});

t.test('a report without histogram says so instead of drawing one', async (t) => {
  const html = renderHtml([LEGACY]);
  t.equal(count(html, /data-chart="latency"/g), 0);
  t.match(html, /no latency histogram in this report \(written by an earlier lbtest\)/);
  t.equal(count(html, /data-chart="timeline"/g), 2);
});

t.test('names are escaped everywhere', async (t) => {
  const p = FAILOVER.phases[0]!;
  const odd: RunReport = {
    ...FAILOVER, suite: { ...FAILOVER.suite, name: '<b>bold</b> & "quoted"' },
    phases: [{ ...p, name: '</svg><script>', backends: p.backends.map((b) => ({ ...b, name: `${b.name}"><x` })) }],
  };
  const html = renderHtml([odd]);
  t.notMatch(html, /<script>|<x|<b>bold/);
  t.match(html, /&lt;b&gt;bold&lt;\/b&gt; &amp; &quot;quoted&quot;/);
});

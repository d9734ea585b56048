/**
 * The HTML report opened in a real browser: Debian's chromium (never a downloaded one) driven by
 * playwright-core, offline (every request but the file itself is refused and counted), with a
 * fresh profile. No console message, no page error, no request; every chart drawn with a size,
 * with as many bars and series as the report has backends, buckets and actions; share bars as
 * long as the shares. Screenshots and the pages go to reports/ for people to look at.
 * Without /usr/bin/chromium the test says loudly that it did not run.
 */
import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoPath } from '../testing/fixtures.js';
import type { RunReport } from '../runner/report-model.js';
import { histogramRange } from './charts.js';
import { FAILOVER, WEIGHTED } from './fixtures/index.js';
import { backendNames } from './format.js';
import { renderHtml } from './html.js';
import { writeAtomic } from './write.js';

/** Debian's chromium; LBTEST_CHROMIUM names another build of it. */
const CHROMIUM = process.env['LBTEST_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUT = repoPath('reports');

const missing = existsSync(CHROMIUM) ? false : `NOT RUN: ${CHROMIUM} is missing, so the HTML report was not opened in a browser (apt-get install chromium)`;
if (missing !== false) {
  process.stderr.write(`\n*** ${missing} ***\n\n`);
  t.comment(missing);
}

t.test('the HTML report in chromium', { skip: missing }, async (t) => {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'lbtest-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 }, offline: true,
  });
  t.teardown(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => problems.push(`console ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.route('**/*', (route) => {
    if (route.request().url().startsWith('file:')) return route.continue();
    problems.push(`request: ${route.request().url()}`);
    return route.abort();
  });
  mkdirSync(OUT, { recursive: true });

  const open = async (name: string, reports: readonly RunReport[]): Promise<void> => {
    const file = join(OUT, `html-report-${name}.html`);
    writeAtomic(file, renderHtml(reports));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  };
  const countIn = (selector: string): Promise<number> => page.locator(selector).count();

  for (const [name, report] of [['weighted', WEIGHTED], ['failover', FAILOVER]] as const) {
    await t.test(name, async (t) => {
      await open(name, [report]);
      t.equal(await page.title(), `${report.outcome.toUpperCase()} · ${report.suite.name} · lbtest`);
      const run = 'svg[data-chart="run-timeline"]';
      t.equal(await countIn(`${run} path.series.area`), backendNames(report).length, 'the whole run: a series per backend');
      t.equal(await countIn(`${run} rect.band`), report.phases.length, 'the whole run: a band per phase');
      t.equal(await countIn(`${run} line.event`), report.phases.reduce((a, p) => a + p.events.length, 0), 'the whole run: a mark per action');
      for (const p of report.phases) {
        const at = `section.phase[data-phase="${p.index}"]`;
        const what = `phase ${p.index + 1}`;
        t.equal(await countIn(`${at} svg[data-chart="share"] rect.bar`), p.backends.length, `${what}: a share bar per backend`);
        t.equal(await countIn(`${at} svg[data-chart="timeline"] path.series.area`), Object.keys(p.timeline.series).length, `${what}: a series per backend`);
        t.equal(await countIn(`${at} svg[data-chart="timeline"] line.event`), p.events.length, `${what}: a mark per action`);
        const range = histogramRange(p.histogram!)!;
        t.equal(await countIn(`${at} svg[data-chart="latency"] g.bucket`), range.to - range.from + 1, `${what}: a histogram bar per bucket`);
        const widths = await page.locator(`${at} svg[data-chart="share"] rect.bar`).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
        const widest = p.backends.reduce((m, b, i) => (b.share > p.backends[m]!.share ? i : m), 0);
        p.backends.forEach((b, i) => {
          t.ok(Math.abs(widths[i]! / widths[widest]! - b.share / p.backends[widest]!.share) < 0.02, `${what}: ${b.name}'s bar is as long as its share`);
        });
      }
      const sizes = await page.locator('svg.chart').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return r.width > 100 && r.height > 50; }));
      t.ok(sizes.length > 0 && sizes.every(Boolean), `all ${sizes.length} charts drawn with a size`);
      await page.screenshot({ path: join(OUT, `html-report-${name}.png`), fullPage: true });
    });
  }

  await t.test('two runs on one page', async (t) => {
    await open('two-runs', [WEIGHTED, FAILOVER]);
    t.equal(await countIn('section.run'), 2);
    t.equal(await countIn('svg[data-chart="run-timeline"]'), 2);
  });

  t.same(problems, [], 'no console message, page error or request');

  await t.test('the watch works: a page that fetches and scripts is caught', async (t) => {
    const file = join(OUT, 'html-report-broken.html');
    writeAtomic(file, renderHtml([FAILOVER]).replace('</main>', '<img src="https://example.invalid/x.png"><script>console.log(1)</script></main>'));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    t.match(problems.join('\n'), /Content Security Policy/, 'the policy refused the script and the image, and said so');
    problems.length = 0;
    rmSync(file);
  });
  t.comment(`screenshots: ${join(OUT, 'html-report-weighted.png')}, ${join(OUT, 'html-report-failover.png')}`);
});

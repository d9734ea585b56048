/**
 * The terminal report on every fixture, plain and in colour (snapshots, times and ports
 * scrubbed), and when there is colour: a terminal, unless NO_COLOR; FORCE_COLOR wins.
 */
import t from 'tap';
import { ALL, FAILOVER, LEGACY, scrub } from './fixtures/index.js';
import { renderTerminal, useColor } from './terminal.js';

t.cleanSnapshot = scrub;
/** An SGR sequence; built from a string, as eslint refuses control characters in regex literals. */
const sgr = (body: string, flags?: string): RegExp => new RegExp(body.replace(/ESC/g, '\x1b'), flags);

for (const [name, report] of Object.entries(ALL)) {
  t.test(`${name}: plain`, async (t) => {
    const text = renderTerminal(report, { color: false });
    t.notMatch(text, sgr('ESC\\['), 'no escape sequence');
    t.matchSnapshot(text);
  });
}

t.test('in colour: the same text with SGR codes around marks and headings', async (t) => {
  const text = renderTerminal(FAILOVER, { color: true });
  t.match(text, sgr('ESC\\[31mFAILESC\\[0m distribution'));
  t.match(text, sgr('ESC\\[32mPASSESC\\[0m never backup'));
  t.equal(text.replace(sgr('ESC\\[[0-9;]*m', 'g'), ''), renderTerminal(FAILOVER, { color: false }));
  t.matchSnapshot(text);
});

t.test('every backend row, its expected and observed share, errors, p50/p99; each verdict with its numbers', async (t) => {
  const text = renderTerminal(FAILOVER, { color: false });
  t.match(text, /│ backend │ expected │ observed │ received │ answered │ errors │ peak conc\. │ p50 +│ p99 +│/);
  t.match(text, /│ a +│ 50\.0% +│ 31\.8% +│ 1492 +│/);
  t.match(text, /FAIL distribution: expected a 50%, b 50%/);
  t.match(text, /chiSquare=624 df=1 pValue=9\.42e-138/);
  t.match(text, /failover\.yaml:20:21, phases\[0\]\.expect\.distribution/);
  t.match(text, /FAILED: 3 verdicts held, 3 failed/);
});

t.test('a report written before per-backend errors existed shows a dash', async (t) => {
  t.match(renderTerminal(LEGACY, { color: false }), /│ a +│ 50\.0% +│ 31\.8% +│ 1492 +│ 1492 +│ - +│/);
});

t.test('colour: on a terminal, off with NO_COLOR (unless empty), on with FORCE_COLOR', async (t) => {
  const cases: [boolean, Record<string, string>, boolean][] = [
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, { FORCE_COLOR: '1' }, true],
    [true, { NO_COLOR: '1', FORCE_COLOR: '1' }, true],
    [true, { FORCE_COLOR: '0' }, true],
    [false, { FORCE_COLOR: '0' }, false],
  ];
  for (const [tty, env, want] of cases) t.equal(useColor(tty, env), want, `tty=${tty} ${JSON.stringify(env)}`);
});

/**
 * A loaded suite's phases against synthetic observations — backend records as the host sends
 * them, client results as the traffic module makes them — through the one entry the runner
 * calls: every expectation gives a verdict that names the line that stated it.
 */
import t from 'tap';
import { RecordSet } from '../backends/records.js';
import type { RecordBatch } from '../backends/protocol.js';
import { parseSuiteText } from '../suite/load.js';
import { ResultLog, type ClientResults } from '../traffic/results.js';
import { slotOf } from '../traffic/mix.js';
import { evaluatePhase } from './evaluate.js';
import { observeBackends, type PhaseObservation } from './observations.js';

const SUITE = `name: e
backends: { a: {}, b: {}, c: {}, spare: {} }
balancer: |
  upstream app { server {{a}} weight=2; server {{b}}; server {{c}} max_fails=2 fail_timeout=2s; server {{spare}} backup; }
  server { listen {{listen}}; location / { proxy_pass http://app; } }
phases:
  - name: steady
    traffic: { requests: 8, paths: 4 }
    expect: { distribution: by-weight, sequence: a b c a, never: [spare], sticky: path, errors: 0, latency: { p99: "< 10ms" } }
  - name: c fails
    actions: [ { switch: c, to: reset } ]
    traffic: { duration: 5s, paths: 4, connections: 2 }
    expect: { ejection: c, sticky: { by: path, since: steady, moved: "<= 0.25" }, status: { 2xx: "100%" }, max_concurrency: { a: 1 } }
`;

const T0 = 1.7e15;

/** Backend records: [backend, arrival ms, inflight]. */
function records(rows: [string, number, number][]): RecordSet {
  const strings = ['', ...new Set(rows.map((r) => r[0]))];
  const n = rows.length;
  const batch: RecordBatch = {
    count: n, arrivalUs: Float64Array.from(rows.map((r) => T0 + r[1] * 1000)), backend: Uint32Array.from(rows.map((r) => strings.indexOf(r[0]))),
    connId: new Uint32Array(n), inflight: Uint32Array.from(rows.map((r) => r[2])), peer: new Uint32Array(n), peerPort: new Uint16Array(n),
    xForwardedFor: new Uint32Array(n), xRealIp: new Uint32Array(n), method: new Uint32Array(n), url: new Uint32Array(n), action: new Uint8Array(n), status: new Uint16Array(n),
  };
  return new RecordSet([batch], strings);
}

/** Client rows in issue order: answering backend per request ('' for an error), 1ms each. */
function client(answers: string[], kind: 'sequential' | 'concurrent'): ClientResults {
  const log = new ResultLog();
  answers.forEach((b, seq) => log.add(seq, T0 + seq * 1000, 500 + seq, b === '' ? 0 : 200, b, b === '' ? 'refused' : 'none'));
  return log.finish({ generator: 'own', kind, startedUs: T0, endedUs: T0 + answers.length * 1000, stoppedBy: 'requests', latencyResolutionUs: 1, notes: [] });
}

const noDns = async (): Promise<null> => null;

t.test('a phase that holds: every verdict passes, each at its own line', async (t) => {
  const suite = await parseSuiteText(SUITE, '/s/e.yaml', { lookupHost: noDns });
  const answers = 'a b c a a b c a'.split(' ');
  const obs: PhaseObservation = { backends: observeBackends(records(answers.map((b, i) => [b, i, 1]))), client: client(answers, 'sequential'), events: [] };
  const verdicts = evaluatePhase(suite, suite.phases[0]!, obs, []);
  t.same(verdicts.map((v) => [v.name, v.passed, v.location.line]), [
    ['distribution', true, 9], ['sequence', true, 9], ['never spare', true, 9], ['sticky by path', true, 9], ['errors', true, 9], ['p99 latency', true, 9],
  ]);
  t.same(verdicts.map((v) => v.path), ['phases[0].expect.distribution', 'phases[0].expect.sequence', 'phases[0].expect.never', 'phases[0].expect.sticky', 'phases[0].expect.errors', 'phases[0].expect.latency.p99']);
  t.match(verdicts[0]!.expected, /^a 50%, b 25%, c 25% \(weights a=2 b=1 c=1; spare is a backup \(idle while a primary lives\)\) = a: 4, b: 2, c: 2, spare: 0 of 8$/);
});

t.test('a phase that fails: each explanation says why, in a sentence', async (t) => {
  const suite = await parseSuiteText(SUITE, '/s/e.yaml', { lookupHost: noDns });
  const steadyAnswers = 'a b c a a b c a'.split(' ');
  const steady: PhaseObservation = { backends: observeBackends(records(steadyAnswers.map((b, i) => [b, i, 1]))), client: client(steadyAnswers, 'sequential'), events: [] };
  // c fails: five failures reach it at once (max_fails=2, one other connection), a sees two at once, path /p/1 moves.
  const answers = 'a b a b a b a b'.split(' ');
  const backendRows: [string, number, number][] = [['c', 0, 1], ['c', 1, 1], ['c', 2, 1], ['c', 3, 1], ['c', 4, 1], ...answers.map((b, i) => [b, 10 + i, b === 'a' ? 2 : 1] as [string, number, number])];
  const obs: PhaseObservation = { backends: observeBackends(records(backendRows)), client: client(answers, 'concurrent'), events: [] };
  const verdicts = evaluatePhase(suite, suite.phases[1]!, obs, [steady]);
  t.same(verdicts.map((v) => [v.name, v.passed]), [
    ['ejection of c', false], ['sticky by path', true], ['paths moved', false], ['status 2xx', true], ['max concurrency at a', false],
  ]);
  t.equal(verdicts[0]!.explanation, '5 requests reached c before it was skipped, but max_fails=2 allows 3.');
  const homes = [0, 1, 2, 3].map((seq) => slotOf(suite.phases[1]!.traffic!.mix, seq).path);
  t.same(homes, ['/p/0', '/p/1', '/p/2', '/p/3']);
  t.equal(verdicts[2]!.explanation, '2 of 4 paths (50%) changed backend since "steady" (c→a 1, a→b 1); expected at most 25%.');
  t.equal(verdicts[4]!.explanation, '2 requests were in progress at a at once; at most 1 should be (max_conns, or the traffic\'s connections).');
});

t.test('recovery is timed from the action\'s event', async (t) => {
  const text = `name: r
backends: { a: {}, b: {} }
phases:
  - actions: [ { kill: a } ]
  - actions: [ { revive: a, at: 1s } ]
    traffic: { duration: 3s }
    expect: { recovered: { a: within 500ms } }
`;
  const suite = await parseSuiteText(text, '/s/r.yaml', { lookupHost: noDns });
  const revive = suite.phases[1]!.actions[0]!;
  const obs: PhaseObservation = { backends: observeBackends(records([['b', 0, 1], ['a', 1800, 1]])), client: client(['b', 'a'], 'sequential'), events: [{ action: revive, atUs: T0 + 1000_000 }] };
  const [v] = evaluatePhase(suite, suite.phases[1]!, obs, []);
  t.equal(v!.passed, false);
  t.equal(v!.explanation, 'a got its first request only 800ms after its revival; expected within 500ms.');
});

t.test('observations: a window keeps the records of one phase only', async (t) => {
  const b = observeBackends(records([['a', 0, 1], ['a', 5, 3], ['b', 10, 1]]), { fromUs: T0 + 4000, toUs: T0 + 20_000 });
  t.same([...b.counts], [['a', 1], ['b', 1]]);
  t.same([...b.peakInflight], [['a', 3], ['b', 1]]);
  t.equal(b.total, 2);
});

/**
 * Ejection and recovery verdicts from arrival times (µs) at a failing backend, table-driven,
 * against nginx's rule: max_fails failures, then one probe per fail_timeout window (per worker).
 */
import t from 'tap';
import { ejectionVerdict, recoveryVerdict } from './health.js';

const MS = 1000;
const at = (...msList: number[]): Float64Array => Float64Array.from(msList.map((x) => 1e15 + x * MS));

const EJECTION: { name: string; arrivalsMs: number[]; maxFails?: number; failTimeoutMs?: number; workers?: number; inFlight?: number; passed: boolean; explanation: RegExp }[] = [
  { name: 'two failures, then one probe per 2s', arrivalsMs: [0, 1, 2100, 4200], passed: true,
    explanation: /^c was skipped after 2 failed requests \(max_fails=2\) and then probed once per window: 2 probes over 4\.20s\.$/ },
  { name: 'failures spread out before the ejection still count as one burst', arrivalsMs: [0, 1500, 3600], passed: true, explanation: /skipped after 2 failed requests/ },
  { name: 'skipped at once, no probe yet', arrivalsMs: [0, 3], passed: true, explanation: /probed no more/ },
  { name: 'five reached it where max_fails=2', arrivalsMs: [0, 1, 2, 3, 4], passed: false,
    explanation: /^5 requests reached c before it was skipped, but max_fails=2 allows 2\.$/ },
  { name: 'the same five, three of them in flight on other connections', arrivalsMs: [0, 1, 2, 3, 4], inFlight: 3, passed: true, explanation: /skipped after 5 failed requests/ },
  { name: 'three probes in one window', arrivalsMs: [0, 1, 2100, 2150, 2200], passed: false,
    explanation: /^After c was skipped, 3 requests reached it within 100ms \(at \+2\.10s\), where fail_timeout=2\.00s allows one probe per window\.$/ },
  { name: 'two workers: two probes a window', arrivalsMs: [0, 1, 2, 3, 2100, 2101], workers: 2, passed: true, explanation: /skipped after 4 failed requests/ },
  { name: 'a probe too early (1.5s after the last failure)', arrivalsMs: [0, 1, 1501], passed: false, explanation: /^3 requests reached c before it was skipped/ },
  { name: 'nothing reached it', arrivalsMs: [], passed: false, explanation: /^No request reached c in this phase/ },
  { name: 'max_fails=0 never ejects', arrivalsMs: [0, 1, 2], maxFails: 0, passed: false, explanation: /^max_fails=0 turns failure accounting off/ },
];

for (const c of EJECTION) {
  t.test(`ejection: ${c.name}`, async (t) => {
    const v = ejectionVerdict({ backend: 'c', arrivalsUs: at(...c.arrivalsMs), maxFails: c.maxFails ?? 2, failTimeoutMs: c.failTimeoutMs ?? 2000, workers: c.workers ?? 1, inFlight: c.inFlight ?? 0 });
    t.equal(v.passed, c.passed, v.explanation);
    t.match(v.explanation, c.explanation);
    t.equal(v.name, 'ejection of c');
  });
}

t.test('ejection: what was expected and observed, in figures', async (t) => {
  const v = ejectionVerdict({ backend: 'c', arrivalsUs: at(0, 1, 2100, 4200), maxFails: 2, failTimeoutMs: 2000, workers: 1, inFlight: 0 });
  t.equal(v.expected, 'at most 2 requests before c is skipped (max_fails=2), then at most one probe per fail_timeout=2.00s');
  t.equal(v.observed, '2 before it was skipped, then 2 probe windows (+2.10s: 1, +4.20s: 1)');
  t.match(v.numbers, { arrivals: 4, burst: 2, burstLimit: 2, probeWindows: 2, crowdedWindows: 0 });
});

const RECOVERY: { name: string; fromMs: number; arrivalsMs: number[]; withinMs: number; passed: boolean; explanation: RegExp }[] = [
  { name: 'back within the time', fromMs: 500, arrivalsMs: [100, 2400, 2500], withinMs: 3000, passed: true, explanation: /^a got its first request 1\.90s after its revival, within 3\.00s\.$/ },
  { name: 'back too late', fromMs: 500, arrivalsMs: [4000], withinMs: 3000, passed: false, explanation: /^a got its first request only 3\.50s after its revival; expected within 3\.00s\.$/ },
  { name: 'never back', fromMs: 500, arrivalsMs: [], withinMs: 3000, passed: false, explanation: /^No request reached a in the 4\.50s after its revival; expected one within 3\.00s\.$/ },
];

for (const c of RECOVERY) {
  t.test(`recovery: ${c.name}`, async (t) => {
    const v = recoveryVerdict({ backend: 'a', fromUs: 1e15 + c.fromMs * MS, endUs: 1e15 + 5000 * MS, arrivalsUs: at(...c.arrivalsMs), withinMs: c.withinMs });
    t.equal(v.passed, c.passed, v.explanation);
    t.match(v.explanation, c.explanation);
  });
}

/** never/only/share, peak concurrency, statuses, errors, latency and throughput, table-driven. */
import t from 'tap';
import { answeredVerdict, connectionsVerdict, errorsVerdict, latencyVerdict, maxConcurrencyVerdict, neverVerdict, onlyVerdict, shareVerdict, statusVerdict, throughputVerdict, type ClientOutcomes } from './counts.js';

const m = (o: Record<string, number>): Map<string, number> => new Map(Object.entries(o));
const outcomes = (rows: (number | string)[]): ClientOutcomes => ({
  count: rows.length, status: (i) => (typeof rows[i] === 'number' ? rows[i] as number : 0), error: (i) => (typeof rows[i] === 'string' ? rows[i] as string : 'none'),
});

const TABLE: { name: string; run: () => ReturnType<typeof neverVerdict>; passed: boolean; explanation: RegExp }[] = [
  { name: 'never: spare idle', run: () => neverVerdict(['spare'], m({ a: 10, spare: 0 })), passed: true, explanation: /^None of 10 requests reached spare\.$/ },
  { name: 'never: spare got some', run: () => neverVerdict(['spare'], m({ a: 10, spare: 2 })), passed: false, explanation: /^spare got 2 requests of 12; it should get none\.$/ },
  { name: 'only: a and b', run: () => onlyVerdict(['a', 'b'], m({ a: 5, b: 5 })), passed: true, explanation: /^All 10 requests reached a or b\.$/ },
  { name: 'only: c got one', run: () => onlyVerdict(['a', 'b'], m({ a: 5, b: 5, c: 1 })), passed: false, explanation: /^c got 1 request of 11; only a, b should get any\.$/ },
  { name: 'only: nothing', run: () => onlyVerdict(['a'], m({})), passed: false, explanation: /^No request reached any backend/ },
  { name: 'share: failover', run: () => shareVerdict('spare', { op: '>=', value: 0.99, text: '>= 0.99' }, m({ a: 1, spare: 199 })), passed: true, explanation: /^spare got 99\.5% of the requests \(199 of 200\); expected at least 99%\.$/ },
  { name: 'share: too little', run: () => shareVerdict('spare', { op: '>=', value: 0.99, text: '>= 0.99' }, m({ a: 20, spare: 180 })), passed: false, explanation: /spare got 90% .* expected at least 99%/ },
  { name: 'max concurrency held', run: () => maxConcurrencyVerdict('a', 10, 7), passed: true, explanation: /^At most 7 requests were in progress at a at once \(limit 10\)\.$/ },
  { name: 'max concurrency exceeded', run: () => maxConcurrencyVerdict('a', 2, 5), passed: false, explanation: /^5 requests were in progress at a at once; at most 2 should be/ },
  { name: 'status: no 502', run: () => statusVerdict({ kind: 'code', code: 502 }, { op: '==', value: 0, text: '0', unit: 'count' }, outcomes([200, 200, 200])), passed: true, explanation: /^0 responses of 3 had status 502; expected exactly 0\.$/ },
  { name: 'status: 5xx over 1%', run: () => statusVerdict({ kind: 'class', hundreds: 5 }, { op: '<=', value: 0.01, text: '<= 1%', unit: 'share' }, outcomes([200, 502, 503, 200, 'reset'])), passed: false,
    explanation: /^2 responses of 5 had status 5xx; expected at most 1% \(statuses seen: 200: 2, 502: 1, 503: 1\)\.$/ },
  { name: 'errors: none', run: () => errorsVerdict({ op: '==', value: 0, text: '0', unit: 'count' }, outcomes([200, 200])), passed: true, explanation: /^0 requests of 2 got no response; expected exactly 0\.$/ },
  { name: 'errors: some, by kind', run: () => errorsVerdict({ op: '==', value: 0, text: '0', unit: 'count' }, outcomes([200, 'refused', 'timeout', 'refused'])), passed: false,
    explanation: /^3 requests of 4 got no response \(refused 2, timeout 1\); expected exactly 0\.$/ },
  { name: 'errors of one kind', run: () => errorsVerdict({ op: '==', value: 1, text: '100%', unit: 'share' }, outcomes(['truncated', 'truncated']), 'truncated'), passed: true,
    explanation: /^2 requests of 2 ended truncated; expected exactly 100%\.$/ },
  { name: 'errors of one kind, others too', run: () => errorsVerdict({ op: '==', value: 0, text: '0', unit: 'count' }, outcomes([200, 'reset', 'timeout']), 'reset'), passed: false,
    explanation: /^1 request of 3 ended with reset; all errors: \(reset 1, timeout 1\); expected exactly 0\.$/ },
  { name: 'answered as nginx-tests counts', run: () => answeredVerdict(new Map([['a', { op: '==', value: 6, text: '6', unit: 'count' }], ['b', { op: '==', value: 24, text: '24', unit: 'count' }]]), m({ a: 6, b: 24 }), 30), passed: true,
    explanation: /^Of 30 requests, the backends answered a: 6, b: 24, as expected\.$/ },
  { name: 'answered: a short, the balancer answered the rest', run: () => answeredVerdict(new Map([['a', { op: '==', value: 6, text: '6', unit: 'count' }], ['b', { op: '>=', value: 0.5, text: '>= 50%', unit: 'share' }]]), m({ a: 4, b: 24, '': 2 }), 30), passed: false,
    explanation: /^a answered 4 requests, expected exactly 6 \(of 30\)\.$/ },
  { name: 'connections reused', run: () => connectionsVerdict('a', { op: '<=', value: 2, text: '<= 2', unit: 'count' }, 1, 200), passed: true,
    explanation: /^a's 200 requests came over 1 connection \(200\.0 per connection\); expected at most 2\.$/ },
  { name: 'connections: one per request', run: () => connectionsVerdict('a', { op: '==', value: 1, text: '100%', unit: 'share' }, 150, 200), passed: false,
    explanation: /^a's 200 requests came over 150 connections .*expected exactly 100% of its requests\.$/ },
  { name: 'connections: none reached it', run: () => connectionsVerdict('a', { op: '<=', value: 2, text: '<= 2', unit: 'count' }, 0, 0), passed: false, explanation: /^No request reached a/ },
  { name: 'latency p99 under 50ms', run: () => latencyVerdict(99, { op: '<', value: 50_000, text: '< 50ms' }, Float64Array.from({ length: 100 }, (_, i) => 300 + i)), passed: true,
    explanation: /^p99 latency was 398µs over 100 responses; expected under 50ms\.$/ },
  { name: 'latency max too high', run: () => latencyVerdict(100, { op: '<=', value: 1_000_000, text: '<= 1s' }, [1000, 2_500_000]), passed: false, explanation: /^max latency was 2\.50s over 2 responses; expected at most 1\.00s\.$/ },
  { name: 'latency without responses', run: () => latencyVerdict(50, { op: '<', value: 1, text: '< 1us' }, []), passed: false, explanation: /^No request got a response/ },
  { name: 'throughput floor met', run: () => throughputVerdict(500, 1800, 3000), passed: true, explanation: /^600 req\/s \(1800 responses in 3\.00s\); expected at least 500 req\/s\.$/ },
  { name: 'throughput floor missed', run: () => throughputVerdict(500, 900, 3000), passed: false, explanation: /^300 req\/s/ },
];

for (const c of TABLE) {
  t.test(c.name, async (t) => {
    const v = c.run();
    t.equal(v.passed, c.passed, v.explanation);
    t.match(v.explanation, c.explanation);
    t.ok(v.expected !== '' && v.observed !== '');
  });
}

t.test('a latency measured by autocannon says so', async (t) => {
  t.match(latencyVerdict(50, { op: '<', value: 5000, text: '< 5ms' }, [1000], 1000).warnings, [/steps of 1ms/]);
});

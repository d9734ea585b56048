/**
 * Did each request reach its backend carrying its client's address? Compared per backend as two
 * multisets: the client addresses whose requests that backend answered (what the client sent), and
 * the values that backend received in the header (X-Forwarded-For: its last address, the one the
 * balancer appended). With `proxy_set_header X-Real-IP $remote_addr` behind realip, they are equal
 * exactly when the balancer took each client's address from the header it trusts.
 */
import { plural, verdict, type Verdict } from './verdict.js';

/** backend -> value -> count. */
export type ValueCounts = ReadonlyMap<string, ReadonlyMap<string, number>>;

export function forwardedVerdict(header: string, sent: ValueCounts, received: ValueCounts): Verdict {
  let expected = 0, matched = 0;
  let example = '';
  for (const [backend, clients] of sent) {
    const got = received.get(backend) ?? new Map<string, number>();
    for (const [client, n] of clients) {
      expected += n;
      const m = Math.min(n, got.get(client) ?? 0);
      matched += m;
      if (m < n && example === '') example = `${backend} answered ${client} ${plural(n, 'time')} but received it in ${header} ${plural(m, 'time')}${firstOther(got, clients)}`;
    }
  }
  let arrived = 0;
  for (const values of received.values()) for (const n of values.values()) arrived += n;
  const passed = expected > 0 && matched === expected && arrived === expected;
  const numbers = { requests: expected, matched, arrived };
  const name = `client address in ${header}`;
  const expectedText = `each request reaches its backend with its client's address in ${header}`;
  const observed = `${matched} of ${expected}`;
  if (expected === 0) return verdict({ name, passed, expected: expectedText, observed, numbers, explanation: 'No answered request came from a known client address, so nothing can be compared.' });
  if (passed) return verdict({ name, passed, expected: expectedText, observed, numbers, explanation: `All ${plural(expected, 'request')} reached their backend with their client's address in ${header}.` });
  return verdict({
    name, passed, expected: expectedText, observed, numbers,
    explanation: example !== ''
      ? `${expected - matched} of ${expected} requests reached their backend without their client's address in ${header}; e.g. ${example}.`
      : `The backends received ${arrived} requests for ${expected} answered ones, so some carried an address no answered request was sent from.`,
  });
}

function firstOther(got: ReadonlyMap<string, number>, clients: ReadonlyMap<string, number>): string {
  for (const [value] of got) if (!clients.has(value)) return ` (it received ${value === '' ? 'no such header' : JSON.stringify(value)} instead)`;
  return '';
}

/**
 * Stickiness, from what the client saw: every request of a key (a client address, a path, a
 * header value) answered by one backend. And, across phases, the share of keys that moved to
 * another backend: a consistent hash moves about 1/n of the keys when one of n servers goes, a
 * modulo hash about (n-1)/n (research §7).
 */
import type { Comparison } from '../suite/model.js';
import { holds, opWords, pct, plural, verdict, type Verdict } from './verdict.js';

/** Each key's answers: backend -> count. Requests without an answer are left out. */
export type KeyAnswers = ReadonlyMap<string, ReadonlyMap<string, number>>;

export function groupAnswers(pairs: Iterable<readonly [key: string, backend: string]>): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const [key, backend] of pairs) {
    if (backend === '') continue;
    let m = out.get(key);
    if (m === undefined) out.set(key, (m = new Map()));
    m.set(backend, (m.get(backend) ?? 0) + 1);
  }
  return out;
}

export function stickyVerdict(by: string, answers: KeyAnswers): Verdict {
  const keys = answers.size;
  const repeated = [...answers.values()].filter((m) => sum(m) > 1).length;
  const split = [...answers].filter(([, m]) => m.size > 1);
  const requests = [...answers.values()].reduce((s, m) => s + sum(m), 0);
  const numbers = { keys, repeatedKeys: repeated, splitKeys: split.length, requests };
  const expected = `every ${by} answered by one backend`;
  const observed = `${plural(split.length, by)} of ${keys} answered by more than one backend`;
  if (repeated === 0) {
    return verdict({ name: `sticky by ${by}`, passed: false, expected, observed, numbers, explanation: `No ${by} was sent twice or more (${plural(keys, by)}, ${plural(requests, 'answered request')}), so stickiness cannot be seen; send more requests than ${by}s.` });
  }
  if (split.length === 0) {
    return verdict({ name: `sticky by ${by}`, passed: true, expected, observed, numbers, explanation: `Each of ${plural(keys, by)} stayed on one backend over ${plural(requests, 'request')}.` });
  }
  const [key, m] = split[0]!;
  const example = [...m].map(([b, n]) => `${b} ×${n}`).join(', ');
  return verdict({
    name: `sticky by ${by}`, passed: false, expected, observed, numbers,
    explanation: `${plural(split.length, by)} of ${keys} ${split.length === 1 ? 'was' : 'were'} answered by more than one backend, e.g. ${key}: ${example}.`,
  });
}

/** Each key's backend: the one that answered it most (first on ties). */
export function homeOf(answers: KeyAnswers): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, m] of answers) {
    let best = '', most = 0;
    for (const [b, n] of m) if (n > most) { best = b; most = n; }
    out.set(key, best);
  }
  return out;
}

export function movedVerdict(by: string, sinceName: string, before: KeyAnswers, after: KeyAnswers, bound: Comparison): Verdict {
  const a = homeOf(before), b = homeOf(after);
  const common = [...b.keys()].filter((k) => a.has(k));
  const moved = common.filter((k) => a.get(k) !== b.get(k));
  const share = common.length === 0 ? NaN : moved.length / common.length;
  const numbers = { keys: common.length, moved: moved.length, share };
  const expected = `${opWords(bound.op)} ${pct(bound.value)} of ${by}s moved since "${sinceName}"`;
  const observed = `${moved.length} of ${common.length} (${pct(share)})`;
  if (common.length === 0) {
    return verdict({ name: `${by}s moved`, passed: false, expected, observed, numbers, explanation: `No ${by} of this phase was also sent in "${sinceName}", so nothing can be compared.` });
  }
  const passed = holds(bound, share);
  const flows = new Map<string, number>();
  for (const k of moved) flows.set(`${a.get(k)}→${b.get(k)}`, (flows.get(`${a.get(k)}→${b.get(k)}`) ?? 0) + 1);
  const how = moved.length === 0 ? '' : ` (${[...flows].sort((x, y) => y[1] - x[1]).slice(0, 4).map(([f, n]) => `${f} ${n}`).join(', ')})`;
  return verdict({
    name: `${by}s moved`, passed, expected, observed, numbers,
    explanation: `${moved.length} of ${common.length} ${by}s (${pct(share)}) changed backend since "${sinceName}"${how}; expected ${opWords(bound.op)} ${pct(bound.value)}.`,
  });
}

function sum(m: ReadonlyMap<string, number>): number {
  let s = 0;
  for (const n of m.values()) s += n;
  return s;
}

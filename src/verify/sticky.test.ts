/** Stickiness and keys moved, table-driven. */
import t from 'tap';
import { groupAnswers, homeOf, movedVerdict, stickyVerdict } from './sticky.js';

const pairs = (text: string): [string, string][] => text.split(' ').map((p) => p.split('=') as [string, string]);

const STICKY: { name: string; answers: string; passed: boolean; explanation: RegExp }[] = [
  { name: 'every key on one backend', answers: 'k1=a k2=b k1=a k2=b k3=a k3=a', passed: true, explanation: /^Each of 3 clients stayed on one backend over 6 requests\.$/ },
  { name: 'one key split', answers: 'k1=a k2=b k1=b k2=b k1=a', passed: false, explanation: /^1 client of 2 was answered by more than one backend, e.g\. k1: a ×2, b ×1\.$/ },
  { name: 'errors are left out', answers: 'k1=a k1= k1=a', passed: true, explanation: /stayed on one backend over 2 requests/ },
  { name: 'no key twice', answers: 'k1=a k2=b', passed: false, explanation: /^No client was sent twice or more/ },
];

for (const c of STICKY) {
  t.test(`sticky: ${c.name}`, async (t) => {
    const v = stickyVerdict('client', groupAnswers(pairs(c.answers)));
    t.equal(v.passed, c.passed, v.explanation);
    t.match(v.explanation, c.explanation);
  });
}

t.test('each key\'s home is its most frequent backend', async (t) => {
  t.same([...homeOf(groupAnswers(pairs('k=a k=b k=b j=c')))], [['k', 'b'], ['j', 'c']]);
});

t.test('keys moved since an earlier phase', async (t) => {
  const keys = Array.from({ length: 100 }, (_, i) => `/p/${i}`);
  const before = groupAnswers(keys.map((k, i) => [k, 'abc'[i % 3]!] as const));
  const after = groupAnswers(keys.map((k, i) => [k, i % 3 === 2 ? 'ab'[i % 2]! : 'abc'[i % 3]!] as const));
  const ok = movedVerdict('path', 'hashed', before, after, { op: '<=', value: 0.4, text: '<= 0.4' });
  t.ok(ok.passed, ok.explanation);
  t.equal(ok.explanation, '33 of 100 paths (33%) changed backend since "hashed" (c→a 17, c→b 16); expected at most 40%.');
  const strict = movedVerdict('path', 'hashed', before, after, { op: '<=', value: 0.1, text: '<= 10%' });
  t.notOk(strict.passed);
  t.match(strict.numbers, { keys: 100, moved: 33 });
  const none = movedVerdict('path', 'hashed', new Map(), after, { op: '<=', value: 0.1, text: '' });
  t.match(none.explanation, /^No path of this phase was also sent in "hashed"/);
});

/**
 * Mutation fuzzing: random edits of valid configurations (characters that matter to the lexer,
 * deleted or duplicated lines, truncation) must end either in a model or in a located
 * ConfigError — never another exception, never a hang. Seeded, so a failure can be replayed.
 */
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, ConfigError } from './load.js';
import { memorySource } from '../testing/memfs.js';
import { repoPath } from '../testing/fixtures.js';
import { seededRandom } from '../core/clock.js';

const corpus = repoPath('src/config/fixtures/corpus');
const seeds = readdirSync(corpus).filter((f) => f.endsWith('.conf')).map((f) => readFileSync(join(corpus, f), 'latin1'));
const ALPHABET = [';', '{', '}', '"', "'", '\\', '$', '#', ' ', '\n', '=', ':', '/', 'a', '0', '~', '*', '@', '$x', 'server', 'upstream u {', 'location / {', 'include x;'];
const rnd = seededRandom(Number(process.env['LBTEST_FUZZ_SEED'] ?? 20261124));
const pick = <T>(xs: readonly T[]): T => xs[rnd.next() % xs.length]!;

function mutate(text: string): string {
  let s = text;
  const edits = 1 + (rnd.next() % 4);
  for (let i = 0; i < edits; i++) {
    const at = s.length === 0 ? 0 : rnd.next() % s.length;
    switch (rnd.next() % 6) {
      case 0: s = s.slice(0, at) + s.slice(at + 1); break;
      case 1: s = s.slice(0, at) + pick(ALPHABET) + s.slice(at); break;
      case 2: s = s.slice(0, at); break;
      case 3: { const lines = s.split('\n'); lines.splice(rnd.next() % lines.length, 1); s = lines.join('\n'); break; }
      case 4: { const lines = s.split('\n'); const k = rnd.next() % lines.length; lines.splice(k, 0, lines[k]!); s = lines.join('\n'); break; }
      default: s = s.slice(0, at) + s.slice(at, at + 1).repeat(2 + (rnd.next() % 3)) + s.slice(at + 1); break;
    }
  }
  return s;
}

const lookupHost = async (h: string): Promise<string[] | null> => (h === 'localhost' ? ['127.0.0.1'] : null);
const MUTATIONS = 3000;

t.test(`${MUTATIONS} mutated configurations give a model or a located ConfigError`, async (t) => {
  let errors = 0, models = 0, slowest = 0;
  for (let i = 0; i < MUTATIONS; i++) {
    const text = mutate(pick(seeds));
    const started = performance.now();
    try {
      await loadConfig('/fuzz/nginx.conf', { prefix: '/fuzz', source: memorySource({ '/fuzz/nginx.conf': text, '/fuzz/inc/x.conf': 'proxy_read_timeout 1s;' }), lookupHost });
      models++;
    } catch (e) {
      if (!(e instanceof ConfigError)) {
        t.fail(`mutation ${i} threw ${String(e)}`, { text });
        return;
      }
      if (e.source !== null && (e.source.line < 0 || !e.source.file)) t.fail(`mutation ${i}: bad location`, { text });
      errors++;
    }
    slowest = Math.max(slowest, performance.now() - started);
  }
  t.ok(errors > 0 && models > 0, `both outcomes seen (${models} models, ${errors} errors)`);
  t.ok(slowest < 1000, `no parse took a second (slowest ${slowest.toFixed(1)} ms)`);
});

import t from 'tap';
import { CHUNK_ROWS, Interner, Recorder, type RowInput } from './recorder.js';

const row = (i: number): RowInput => ({
  arrivalUs: 1e15 + i, backend: 1, connId: i % 7, inflight: 1, peer: 2, peerPort: 40000 + (i % 1000),
  xForwardedFor: 0, xRealIp: 0, method: 3, url: 4 + (i % 3), action: 0, status: 200,
});

t.test('rows are kept in chunks and drained as trimmed batches, oldest first', async (t) => {
  const r = new Recorder();
  const n = 2 * CHUNK_ROWS + 100;
  for (let i = 0; i < n; i++) r.add(row(i));
  t.equal(r.pending, n);
  const { batches } = r.drain();
  t.same(batches.map((b) => b.count), [CHUNK_ROWS, CHUNK_ROWS, 100]);
  t.equal(batches[2]!.arrivalUs.length, 100, 'the last batch carries only its rows');
  t.equal(batches[2]!.arrivalUs.buffer.byteLength, 800, 'and not the whole chunk buffer');
  t.equal(batches[1]!.arrivalUs[0], 1e15 + CHUNK_ROWS);
  t.equal(batches[2]!.peerPort[99], 40000 + ((n - 1) % 1000));
  t.equal(r.pending, 0);
  t.equal(r.drain().batches.length, 0);
});

t.test('a disabled recorder keeps nothing', async (t) => {
  const r = new Recorder(false);
  r.add(row(1));
  t.equal(r.pending, 0);
});

t.test('the interner hands out stable ids and only the new strings per drain', async (t) => {
  const s = new Interner();
  t.equal(s.id(''), 0);
  t.same([s.id('a'), s.id('b'), s.id('a')], [1, 2, 1]);
  t.same(s.takeNew(), { stringBase: 1, strings: ['a', 'b'] });
  t.same(s.takeNew(), { stringBase: 3, strings: [] });
  t.equal(s.id('c'), 3);
  t.same(s.takeNew(), { stringBase: 3, strings: ['c'] });
});

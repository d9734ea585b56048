import t from 'tap';
import { CHUNK_ROWS, Interner, Recorder } from './recorder.js';

const add = (r: Recorder, i: number): void => r.add(1e15 + i, 1, i % 7, 1, 2, 40000 + (i % 1000), 0, 0, 3, 4 + (i % 3), 0, 200);

t.test('rows are kept in chunks and drained as trimmed batches, oldest first', async (t) => {
  const r = new Recorder();
  const n = 2 * CHUNK_ROWS + 100;
  for (let i = 0; i < n; i++) add(r, i);
  t.equal(r.pending, n);
  const { batches } = r.drain();
  t.same(batches.map((b) => b.count), [CHUNK_ROWS, CHUNK_ROWS, 100]);
  t.equal(batches[2]!.arrivalUs.length, 100, 'the last batch carries only its rows');
  t.equal(batches[2]!.arrivalUs.buffer.byteLength, 100 * 45, 'and not the whole chunk buffer');
  t.equal(batches[2]!.status.buffer, batches[2]!.arrivalUs.buffer, 'one buffer for all columns');
  t.equal(batches[1]!.arrivalUs[0], 1e15 + CHUNK_ROWS);
  t.equal(batches[2]!.peerPort[99], 40000 + ((n - 1) % 1000));
  t.equal(r.pending, 0);
  t.equal(r.drain().batches.length, 0);
});

t.test('a disabled recorder keeps nothing', async (t) => {
  const r = new Recorder(false);
  add(r, 1);
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

t.test('with a ship callback, full chunks leave as they fill and the chunk is written over', async (t) => {
  const shipped: { first: number; buffer: ArrayBufferLike }[] = [];
  const r = new Recorder(true, (b) => shipped.push({ first: b.arrivalUs[0]!, buffer: b.arrivalUs.buffer }));
  for (let i = 0; i < 2 * CHUNK_ROWS + 5; i++) add(r, i);
  t.same(shipped.map((s) => s.first), [1e15, 1e15 + CHUNK_ROWS]);
  t.equal(shipped[0]!.buffer, shipped[1]!.buffer, 'one chunk, reused: no fresh pages per request');
  t.same([r.shipped, r.pending], [2 * CHUNK_ROWS, 5]);
  const { batches } = r.drain();
  t.same(batches.map((b) => [b.count, b.arrivalUs[0]]), [[5, 1e15 + 2 * CHUNK_ROWS]]);
  t.same([r.shipped, r.pending], [0, 0]);
});

/**
 * Chunked decoding as ngx_http_parse_chunked() does it (extensions, trailers, bare LF, what is
 * invalid), fed whole and one byte at a time; the request-side framing helpers. No sockets.
 */
import t from 'tap';
import { seededRandom } from '../../core/clock.js';
import { CHUNKED_AGAIN, CHUNKED_DONE, CHUNKED_INVALID, ChunkedDecoder, LAST_CHUNK, chunkSizeLine, type ChunkedResult } from './chunked.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

function decode(text: string, byteByByte = false): { result: ChunkedResult; data: string; pieces: number; doneAt: number } {
  const d = new ChunkedDecoder();
  const out: Buffer[] = [];
  const sink = { piece: (p: Buffer) => { out.push(Buffer.from(p)); } };
  const buf = b(text);
  let result: ChunkedResult = CHUNKED_AGAIN;
  let doneAt = -1;
  if (!byteByByte) {
    result = d.feed(buf, 0, sink);
    doneAt = d.doneAt;
  } else {
    for (let i = 0; i < buf.length && result === CHUNKED_AGAIN; i++) {
      result = d.feed(buf.subarray(i, i + 1), 0, sink);
      if (result === CHUNKED_DONE) doneAt = i + d.doneAt;
    }
  }
  return { result, data: Buffer.concat(out).toString('latin1'), pieces: out.length, doneAt };
}

const VALID: [string, string][] = [
  ['5\r\nhello\r\n0\r\n\r\n', 'hello'],
  ['5\nhello\n0\n\n', 'hello'],
  ['A\r\n0123456789\r\n1\r\n!\r\n0\r\n\r\n', '0123456789!'],
  ['a;name=value\r\n0123456789\r\n0\r\n\r\n', '0123456789'],
  ['3 \r\nabc\r\n0;last\r\n\r\n', 'abc'],
  ['3\t;x\r\nabc\r\n000\r\n\r\n', 'abc'],
  ['0\r\n\r\n', ''],
  ['2\r\nab\r\n0\r\nX-Trailer: 1\r\nY: 2\n\r\n', 'ab'],
  ['5 x\r\nhello\r\n0\r\n\r\n', 'hello'],
];

t.test('valid bodies decode the same whole and byte by byte', async (t) => {
  for (const [text, data] of VALID) {
    const whole = decode(text);
    t.same([whole.result, whole.data, whole.doneAt], [CHUNKED_DONE, data, text.length], JSON.stringify(text));
    const bytes = decode(text, true);
    t.same([bytes.result, bytes.data, bytes.doneAt], [CHUNKED_DONE, data, text.length], `${JSON.stringify(text)} byte by byte`);
  }
});

t.test('incomplete bodies stay AGAIN', async (t) => {
  const text = '5\r\nhello\r\n0\r\n\r\n';
  for (let i = 0; i < text.length; i++) t.equal(decode(text.slice(0, i)).result, CHUNKED_AGAIN, JSON.stringify(text.slice(0, i)));
});

t.test('data are views of the buffer; bytes after the last chunk are left for the caller', async (t) => {
  const d = new ChunkedDecoder();
  const buf = b('4\r\nwxyz\r\n0\r\n\r\nHTTP/1.1');
  const seen: Buffer[] = [];
  t.equal(d.feed(buf, 0, { piece: (p) => seen.push(p) }), CHUNKED_DONE);
  t.equal(seen.length, 1);
  t.equal(seen[0]!.buffer, buf.buffer, 'no copy');
  t.equal(buf.length - d.doneAt, 8);
});

t.test('invalid chunked bodies', async (t) => {
  for (const text of ['x\r\n', '\r\n', '5\rX', '5;ext\rX', '2\r\nabX', '2\r\nab\rX', '0\rX', '0;e\rX', '0\r\n\rX',
    '0\r\nT: 1\rX', '0\r\r\n', '-5\r\n', `${'f'.repeat(15)}\r\n`]) {
    t.equal(decode(text).result, CHUNKED_INVALID, JSON.stringify(text));
  }
  t.equal(decode('5x\r\n').result, CHUNKED_INVALID, 'a size ended by a letter that is no hex digit');
});

t.test('chunk extensions after the size may hold anything up to the line end', async (t) => {
  t.same(decode('1;a="b c"\r\nz\r\n0\r\n\r\n').data, 'z');
});

t.test('request framing helpers', async (t) => {
  t.equal(chunkSizeLine(255), 'ff\r\n');
  t.equal(chunkSizeLine(1), '1\r\n');
  t.equal(LAST_CHUNK.toString(), '0\r\n\r\n');
});

t.test('random bodies, random chunk sizes and extensions, split at random points: the data come back', async (t) => {
  const random = seededRandom(2209);
  const below = (n: number): number => random.next() % n;
  let failures = 0;
  for (let round = 0; round < 300; round++) {
    const data = Buffer.alloc(below(3000), 0);
    for (let i = 0; i < data.length; i++) data[i] = below(256);
    let wire = '';
    for (let at = 0; at < data.length;) {
      const n = Math.min(data.length - at, 1 + below(700));
      const ext = below(4) === 0 ? ';e=' + below(99) : '';
      const hex = below(2) === 0 ? n.toString(16) : n.toString(16).toUpperCase();
      wire += `${hex}${ext}${below(3) === 0 ? '\n' : '\r\n'}${data.toString('latin1', at, at + n)}\r\n`;
      at += n;
    }
    wire += below(2) === 0 ? '0\r\n\r\n' : '0\r\nX-T: 1\r\n\r\n';
    const buf = Buffer.from(wire, 'latin1');
    const d = new ChunkedDecoder();
    const out: Buffer[] = [];
    const sink = { piece: (p: Buffer) => { out.push(Buffer.from(p)); } };
    let result: ChunkedResult = CHUNKED_AGAIN;
    for (let at = 0; at < buf.length && result === CHUNKED_AGAIN;) {
      const n = 1 + below(64);
      result = d.feed(buf.subarray(at, at + n), 0, sink);
      at += n;
    }
    if (result !== CHUNKED_DONE || !Buffer.concat(out).equals(data)) failures++;
  }
  t.equal(failures, 0);
});

/**
 * The bench's load generator in its own process, against small servers on 127.0.0.1 that behave
 * on cue: kept-alive and new-connection runs counted exactly, connections the server closes
 * counted, refused connects bounded by the request budget, the time bound, the hold of idle
 * connections. Bounded: a few hundred requests each.
 */
import t, { type Test } from 'tap';
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { Generator } from './generator/process.js';
import { freePort } from './targets.js';
import type { LoadJob } from './generator/load.js';

interface Cue {
  /** Answer with `Connection: close` and close after every Nth response on a connection. */
  readonly closeEvery?: number;
  readonly noLength?: boolean;
  readonly chunked?: boolean;
  readonly delayMs?: number;
  /** Hold the Nth response on a connection for `stallMs`. */
  readonly stallAt?: number;
  readonly stallMs?: number;
}

async function server(t: Test, cue: Cue = {}): Promise<{ port: number; accepted: () => number }> {
  let accepted = 0;
  const sockets = new Set<Socket>();
  const srv: Server = createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    let buf = '', served = 0;
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let end = buf.indexOf('\r\n\r\n'); end >= 0; end = buf.indexOf('\r\n\r\n')) {
        const closeReq = /connection: close/i.test(buf.slice(0, end));
        buf = buf.slice(end + 4);
        served++;
        const close = closeReq || (cue.closeEvery !== undefined && served % cue.closeEvery === 0) || cue.noLength === true;
        const framing = cue.chunked ? 'Transfer-Encoding: chunked\r\n' : cue.noLength ? '' : 'Content-Length: 2\r\n';
        const body = cue.chunked ? '2\r\nok\r\n0\r\n\r\n' : 'ok';
        const answer = (): void => {
          s.write(`HTTP/1.1 200 OK\r\n${framing}${close ? 'Connection: close\r\n' : ''}\r\n${body}`);
          if (close) s.end();
        };
        const delay = served === cue.stallAt ? cue.stallMs : cue.delayMs;
        if (delay === undefined) answer(); else setTimeout(answer, delay);
      }
    });
    s.on('error', () => undefined);
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  t.teardown(() => { for (const s of sockets) s.destroy(); srv.close(); });
  return { port: (srv.address() as { port: number }).port, accepted: () => accepted };
}

const job = (port: number, over: Partial<LoadJob> = {}): LoadJob => ({
  kind: 'load', generator: 'lbtest', ports: [port], connections: 4, keepAlive: true, requests: 200, maxDurationMs: 10_000, path: '/', ...over,
});

t.test('the own client', async (t) => {
  const gen = await Generator.start();
  t.teardown(() => gen.close());

  t.test('kept alive: every request answered on its lane\'s one connection', async (t) => {
    const s = await server(t);
    const r = await gen.load(job(s.port));
    t.same([r.responses, r.errors, r.non2xx, r.serverClosed, r.connects, r.latency.count, r.stoppedBy], [200, 0, 0, 0, 4, 200, 'requests']);
    t.ok(r.latency.p50Us > 0 && r.latency.p50Us <= r.latency.p99Us && r.latency.p99Us <= r.latency.maxUs);
    t.ok(r.cpuCores > 0 && r.loopUtilization > 0 && r.loopUtilization <= 1);
    t.equal(s.accepted(), 4);
  });

  t.test('connections the server closes are counted and reopened', async (t) => {
    const s = await server(t, { closeEvery: 10 });
    const r = await gen.load(job(s.port, { connections: 1 }));
    t.same([r.responses, r.errors, r.serverClosed], [200, 0, 20]);
    t.equal(r.connects, s.accepted());
  });

  t.test('a new connection per request', async (t) => {
    const s = await server(t);
    const r = await gen.load(job(s.port, { keepAlive: false, requests: 100 }));
    t.same([r.responses, r.errors, r.serverClosed, r.connects], [100, 0, 0, 100]);
  });

  t.test('a body framed by the connection\'s end; a chunked one is not read', async (t) => {
    const plain = await server(t, { noLength: true });
    const a = await gen.load(job(plain.port, { requests: 40 }));
    t.same([a.responses, a.errors, a.serverClosed], [40, 0, 40]);
    const chunked = await server(t, { chunked: true });
    const b = await gen.load(job(chunked.port, { requests: 40, connections: 1 }));
    t.same([b.responses, b.errors], [0, 40]);
  });

  t.test('a refused port uses up the request budget, no more', async (t) => {
    const r = await gen.load(job(await freePort(), { requests: 50 }));
    t.same([r.responses, r.errors], [0, 50]);
  });

  t.test('the time bound stops claiming requests', async (t) => {
    const s = await server(t, { delayMs: 20 });
    const r = await gen.load(job(s.port, { requests: 10_000, maxDurationMs: 300 }));
    t.equal(r.stoppedBy, 'time');
    t.ok(r.responses > 0 && r.responses < 200, `${r.responses} answered`);
    t.equal(r.errors, 0, 'what was in flight still finished');
  });

  t.test('open loop: never faster than the offered rate', async (t) => {
    const s = await server(t);
    const r = await gen.load(job(s.port, { rate: 1000, requests: 300 }));
    t.same([r.responses, r.errors, r.connects], [300, 0, 4]);
    // 4 lanes, each sending every 4 ms: the last of 300 requests falls due 296 ms after the first
    t.ok(r.elapsedMs >= 290, `${r.elapsedMs.toFixed(0)} ms for 300 requests at 1,000/s`);
  });

  t.test('open loop: a request the server held up is timed from when it fell due', async (t) => {
    // one connection, a request every 5 ms; the 5th answer is held 150 ms, so ~30 requests fall
    // due meanwhile and go out late: timed from their due times, they fill the upper percentiles
    const s = await server(t, { stallAt: 5, stallMs: 150 });
    const open = await gen.load(job(s.port, { connections: 1, rate: 200, requests: 60 }));
    t.equal(open.responses, 60);
    t.ok(open.latency.p90Us > 50_000, `open loop p90 ${open.latency.p90Us} µs`);
    // closed loop, the same stall: one slow sample, the rest fast (the stall's timer runs on
    // libuv's millisecond loop clock and may end up to a millisecond early by the µs clock)
    const s2 = await server(t, { stallAt: 5, stallMs: 150 });
    const closed = await gen.load(job(s2.port, { connections: 1, requests: 60 }));
    t.ok(closed.latency.p90Us < 50_000 && closed.latency.maxUs >= 148_000, `closed loop p90 ${closed.latency.p90Us} µs, max ${closed.latency.maxUs} µs`);
  });

  t.test('idle connections held, then released', async (t) => {
    const s = await server(t);
    const h = await gen.hold({ kind: 'hold', port: s.port, connections: 150, maxDurationMs: 10_000, path: '/' });
    t.same(h, { kind: 'hold', held: 150, errors: 0 });
    t.equal(s.accepted(), 150);
    await gen.release();
  });
});

t.test('autocannon: the same counts', async (t) => {
  const gen = await Generator.start();
  t.teardown(() => gen.close());
  const s = await server(t);
  const r = await gen.load(job(s.port, { generator: 'autocannon' }));
  t.same([r.responses, r.errors, r.serverClosed], [200, 0, 0]);
  t.equal(r.latency.count, 200);
  const closing = await server(t, { closeEvery: 20 });
  const c = await gen.load(job(closing.port, { generator: 'autocannon', connections: 2 }));
  t.ok(c.serverClosed > 0, `${c.serverClosed} reconnects counted`);
});

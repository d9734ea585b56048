/**
 * `lbtest serve` under abuse, over real sockets: malformed and oversized requests get nginx's
 * answers and the balancer stays up; slow clients are timed out; a backend that resets mid-body
 * leaves the client a truncated response and the balancer healthy; thousands of idle
 * connections are held; SIGHUP with a broken file keeps the old configuration; SIGTERM lets a
 * request in flight finish.
 */
import t from 'tap';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, mainConfig, startLbtest } from '../testing/balancers.js';
import { startFleet } from '../testing/mini-backends.js';
import { send } from '../testing/requests.js';

/** Sends raw bytes and collects everything until the server closes. */
async function raw(port: number, bytes: string): Promise<string> {
  const s = connect(port, '127.0.0.1');
  await once(s, 'connect');
  let out = '';
  s.on('data', (c: Buffer) => { out += c.toString('latin1'); });
  s.on('error', () => undefined);
  s.write(bytes);
  await once(s, 'close');
  return out;
}

t.test('serve', async (t) => {
  const fleet = await startFleet({ ok: { kind: 'ok' }, cut: { kind: 'truncate' }, slow: { kind: 'delay', ms: 400 } });
  t.teardown(() => fleet.closeAll());
  const port = await freePort();
  const strictPort = await freePort();
  const http = (extra: string): string => `server {
 listen 127.0.0.1:${strictPort};
 client_header_timeout 1s;
 client_body_timeout 1s;
 location / { proxy_pass http://127.0.0.1:${fleet.port('ok')}; }
}
server {
 listen 127.0.0.1:${port};
 location / { proxy_pass http://127.0.0.1:${fleet.port('ok')}; }
 location /cut { proxy_pass http://127.0.0.1:${fleet.port('cut')}; }
 location /slow { proxy_pass http://127.0.0.1:${fleet.port('slow')}; }
 ${extra}
}`;
  const lb = await startLbtest(mainConfig(http('')));
  t.teardown(() => lb.stop());
  const healthy = async (): Promise<void> => { t.equal((await send(port, {})).backend, 'ok', 'still serving'); };

  t.test('a malformed request line gets 400, and the balancer stays up', async (t) => {
    t.match(await raw(port, 'NOT A REQUEST\r\n\r\n'), /^HTTP\/1\.1 400 Bad Request/);
    t.match(await raw(port, 'GET / HTTP/1.1\r\nHost: a\r\nBad Header Line\r\n\r\n'), /^HTTP\/1\.1 400 /);
    await healthy();
  });

  t.test('an oversized URI gets 414; an oversized header 400 "Request Header Or Cookie Too Large"', async (t) => {
    t.match(await raw(port, `GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: a\r\n\r\n`), /^HTTP\/1\.1 414 /);
    const big = await raw(port, `GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'b'.repeat(9000)}\r\n\r\n`);
    t.match(big, /^HTTP\/1\.1 400 /);
    t.match(big, /Request Header Or Cookie Too Large/);
    await healthy();
  });

  t.test('a client that never finishes its headers is cut off after client_header_timeout', async (t) => {
    const s = connect(strictPort, '127.0.0.1');
    await once(s, 'connect');
    s.on('error', () => undefined);
    s.write('GET / HTTP/1.1\r\nHost: a\r\n');
    const started = Date.now();
    await once(s, 'close');
    t.ok(Date.now() - started < 5000, 'closed by the balancer');
    await healthy();
  });

  t.test('a client that stops sending its body is cut off after client_body_timeout', async (t) => {
    const s = connect(strictPort, '127.0.0.1');
    await once(s, 'connect');
    s.on('error', () => undefined);
    s.write('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789');
    const started = Date.now();
    await once(s, 'close');
    t.ok(Date.now() - started < 5000, 'closed by the balancer');
    await healthy();
  });

  t.test('a backend reset mid-body: the client gets the status and a short body; the balancer is fine', async (t) => {
    const text = await raw(port, 'GET /cut HTTP/1.1\r\nHost: a\r\n\r\n');
    t.match(text, /^HTTP\/1\.1 200 /);
    const body = text.slice(text.indexOf('\r\n\r\n') + 4);
    t.ok(body.length < 100, `truncated (${body.length} bytes of 100)`);
    await healthy();
  });

  t.test('two thousand idle connections are held and the balancer still answers', async (t) => {
    const sockets: Socket[] = [];
    t.teardown(() => { for (const s of sockets) s.destroy(); });
    for (let i = 0; i < 2000; i++) {
      const s = connect(port, '127.0.0.1');
      s.on('error', () => undefined);
      sockets.push(s);
    }
    await Promise.all(sockets.map((s) => once(s, 'connect')));
    await healthy();
    t.equal(sockets.filter((s) => s.destroyed).length, 0, 'none was dropped');
  });

  t.test('SIGHUP with a broken file keeps the old configuration; a good one takes effect', async (t) => {
    const conf = join(lb.prefix, 'nginx.conf');
    writeFileSync(conf, mainConfig(http('liseten 1;')));
    lb.reload();
    while (!lb.stderr().includes('unknown directive "liseten"')) await once(lb.child.stderr!, 'data');
    await healthy();
    writeFileSync(conf, mainConfig(http('location = /new { return 200 "new"; }')));
    lb.reload();
    while (!lb.stderr().includes('configuration reloaded')) await once(lb.child.stderr!, 'data');
    t.equal((await send(port, { path: '/new' })).body, 'new');
  });

  t.test('SIGTERM lets a request in flight finish, then the balancer exits and removes its pid file', async (t) => {
    const arrived = once(fleet.backends.get('slow')!.events, 'request');
    const inFlight = send(port, { path: '/slow' });
    await arrived;
    lb.child.kill('SIGTERM');
    const r = await inFlight;
    t.equal(r.backend, 'slow');
    const [code] = await once(lb.child, 'exit') as [number | null];
    t.equal(code, 0);
    t.notOk(existsSync(join(lb.prefix, 'logs/nginx.pid')), 'pid file removed');
  });
});

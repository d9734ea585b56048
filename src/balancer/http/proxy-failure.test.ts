/**
 * A throw inside proxy_pass (a bug: nothing a client or an upstream sends reaches this path) is
 * logged as an alert and answered 500 when no response head was made yet, the connection cut
 * when one was, and the balancer goes on serving. The fault is injected through the upstream client.
 */
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { loadConfig } from '../../config/load.js';
import { memorySource } from '../../testing/memfs.js';
import { freePort } from '../../testing/balancers.js';
import { rawAnswer } from '../../testing/raw-answers.js';
import { compileSite } from './site.js';
import { Front } from './front.js';
import type { LogFile } from './logs.js';
import type { HeadOwner, KeepaliveSettings, UpstreamClient } from '../proxy/exchange-types.js';

t.test('a throw inside proxy_pass: an alert, then 500 or a cut response; serving goes on', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lbtest-proxy-failure-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const text = `error_log ${dir}/error.log;
events {}
http {
 access_log off;
 upstream u { server 127.0.0.1:1; }
 server {
  listen 127.0.0.1:${port};
  location /begin { proxy_pass http://u; }
  location /body { proxy_pass http://u; }
 }
}
`;
  const { config } = await loadConfig('/f/nginx.conf', { prefix: '/f', source: memorySource({ '/f/nginx.conf': text }) });
  const client: UpstreamClient = {
    exchange: () => Promise.reject(new Error('not used here')),
    begin(req, owner: HeadOwner) {
      if (req.head.toString().startsWith('GET /begin')) throw new Error('thrown where the attempt begins');
      owner.headSettled({
        ok: true, connectedAt: performance.now(),
        head: { status: 200, reason: 'OK', httpVersion: '1.1', rawHeaders: ['Content-Length', '2'], framing: { kind: 'length', bytes: 2 }, keepAlive: true },
        body: {
          pipe: () => Promise.reject(new Error('not used here')),
          pipeTo: () => { throw new Error('thrown where the body is passed'); },
          discard: () => undefined,
        },
      });
    },
    createPool: (settings: KeepaliveSettings) => ({ settings, idleCount: () => 0, close: () => undefined }),
  };
  const site = compileSite(config, { client });
  const front = new Front(site);
  await front.start();
  let closed = false;
  t.teardown(() => (closed ? undefined : front.close(1000)));

  t.match(await rawAnswer(port, 'GET /begin HTTP/1.1'), /^HTTP\/1\.1 500 Internal Server Error\r\n/, 'no head made yet: 500');
  // the head is written with the body's first piece: cut before it, the client gets nothing
  t.equal(await rawAnswer(port, 'GET /body HTTP/1.1'), '\r\n\r\n', 'the head was made: the connection is cut, nothing sent');
  t.match(await rawAnswer(port, 'GET /begin HTTP/1.1'), /^HTTP\/1\.1 500 /, 'and the balancer still answers');
  // the error log's lines are on disk once its stream has finished, after the balancer closed
  const errorLog = site.files.stream({ kind: 'file', path: join(dir, 'error.log') }) as LogFile;
  const finished = once(errorLog, 'finish');
  await front.close(1000);
  closed = true;
  await finished;
  const log = readFileSync(join(dir, 'error.log'), 'utf8');
  t.match(log, /\[alert\] \d+#0: \*\d+ request failed: Error: thrown where the attempt begins, client: 127\.0\.0\.1, server: , request: "GET \/begin HTTP\/1\.1"/, 'the alert, as nginx formats an error line');
  t.match(log, /\[alert\] \d+#0: \*\d+ request failed: Error: thrown where the body is passed, /, 'for each');
});

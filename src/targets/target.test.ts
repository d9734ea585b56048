import t from 'tap';
import { startTarget, findNginxBinary, type TargetKind } from './target.js';
import { LbtestError } from '../core/errors.js';
import { freePort } from '../testing/balancers.js';
import { send } from '../testing/requests.js';

const conf = (port: number, body: string): string =>
  `error_log logs/error.log notice;\npid logs/nginx.pid;\nevents {}\nhttp {\n access_log off;\n server { listen 127.0.0.1:${port}; location / { return 200 "${body}"; } }\n}\n`;

const nginx = findNginxBinary();
for (const kind of ['bundled', 'nginx'] as TargetKind[]) {
  t.test(`${kind} target: start, reload, refuse a broken reload, die, stop`, { skip: kind === 'nginx' && nginx === null ? 'nginx is not installed' : false }, async (t) => {
    const port = await freePort();
    const target = await startTarget({ kind, config: conf(port, 'one'), port });
    t.teardown(() => target.stop());
    t.equal((await send(port, {})).body, 'one');
    await target.reload(conf(port, 'two'));
    t.equal((await send(port, {})).body, 'two', 'the reload took effect');
    const refused = await target.reload(conf(port, 'x').replace('events {}', 'events {}\nliseten 1;')).then(() => null, (e: unknown) => e);
    t.ok(refused instanceof LbtestError, 'a broken configuration is refused');
    t.match((refused as Error).message, /unknown directive "liseten"/);
    t.equal((await send(port, {})).body, 'two', 'the old configuration keeps serving');
    process.kill(target.pid!, 'SIGKILL');
    const exit = await target.died;
    t.equal(exit.signal, 'SIGKILL', 'a death is reported');
  });
}

t.test('a target that cannot start says why', async (t) => {
  const port = await freePort();
  const err = await startTarget({ kind: 'bundled', config: 'events {}\nhttp { upstream u { } }\n', port }).then(() => null, (e: unknown) => e);
  t.ok(err instanceof LbtestError);
  t.equal((err as LbtestError).code, 'TARGET_START');
  t.match((err as Error).message, /no servers are inside upstream/);
});

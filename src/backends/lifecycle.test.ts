/**
 * The host process's life: it never outlives its parent, a crash reaches every pending call as
 * BACKEND_CONTROL, and stop() is clean and idempotent.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { behaviours as b } from './behaviour.js';
import { startBackendHost } from './client.js';
import { get, open, probe } from './testing/wire.js';

t.test('the host exits when its parent dies (SIGKILL, no cleanup run)', async (t) => {
  const parent = spawn(process.execPath, [fileURLToPath(new URL('./testing/orphan-parent.js', import.meta.url)), '--orphan-parent'], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => { parent.kill('SIGKILL'); });
  const [line] = (await once(parent.stdout, 'data')) as [Buffer];
  const [port] = line.toString().trim().split(' ').map(Number);
  const kept = await open(port!);
  const closed = new Promise<void>((resolve) => kept.on('close', () => resolve()));
  kept.on('error', () => {});
  parent.kill('SIGKILL');
  await closed;
  t.pass('the connection to the orphaned host closed');
  t.equal((await probe(port!, get('/'))).ending, 'refused', 'and nothing listens on its port');
});

t.test('a host that dies fails pending and later calls with BACKEND_CONTROL', async (t) => {
  const host = await startBackendHost();
  t.teardown(() => host.stop());
  await host.define({ name: 'x', port: 0, behaviour: b.ok() });
  process.kill(host.pid!, 'SIGKILL');
  await t.rejects(host.stats(), { code: 'BACKEND_CONTROL', message: /exited \(signal SIGKILL\)/ });
  await t.rejects(host.kill('x'), { code: 'BACKEND_CONTROL' });
  await host.stop();
});

t.test('stop closes every backend, ends the process, and may be called twice', async (t) => {
  const host = await startBackendHost();
  const { port } = await host.define({ name: 'y', port: 0, behaviour: b.ok() });
  await Promise.all([host.stop(), host.stop()]);
  await host.exited;
  t.equal((await probe(port, get('/'))).ending, 'refused');
  await t.rejects(host.define({ name: 'z', port: 0, behaviour: b.ok() }), { code: 'BACKEND_CONTROL' });
});

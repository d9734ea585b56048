/**
 * `worker_processes 2`: two worker processes serve the same address, each with its own balancer
 * state (nginx without `zone`); SIGTERM stops them all and nothing is left running.
 */
import t from 'tap';
import { freePort, mainConfig, startLbtest } from '../testing/balancers.js';
import { startFleet } from '../testing/mini-backends.js';
import { send } from '../testing/requests.js';

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

t.test('two workers answer, and SIGTERM leaves no process behind', async (t) => {
  const fleet = await startFleet({ a: { kind: 'ok' }, b: { kind: 'ok' } });
  t.teardown(() => fleet.closeAll());
  const port = await freePort();
  const config = mainConfig(`upstream u { server 127.0.0.1:${fleet.port('a')}; server 127.0.0.1:${fleet.port('b')}; }
server { listen 127.0.0.1:${port}; add_header X-Remote $pid; location / { proxy_pass http://u; } }`).replace('worker_processes 1;', 'worker_processes 2;');
  const lb = await startLbtest(config);
  const pids = new Set<number>();
  const backends = new Set<string>();
  for (let i = 0; i < 40; i++) {
    const r = await send(port, {});
    t.equal(r.status, 200);
    pids.add(Number(r.remote));
    backends.add(r.backend);
  }
  t.ok(pids.size >= 1 && [...pids].every((p) => p !== lb.child.pid), `answered by worker processes (${pids.size} seen)`);
  t.same([...backends].sort(), ['a', 'b']);
  await lb.stop();
  t.same([...pids].filter(alive), [], 'no worker left running');
});

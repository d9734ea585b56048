/**
 * A runner stand-in for the lifecycle test: starts a host with one `ok` backend, prints
 * `PORT HOSTPID` on a line, and waits to be killed — so the test can kill it with SIGKILL and
 * watch the host go (no cleanup code of this process gets to run). Needs its flag; without it
 * (a test runner sweeping the folder) it does nothing.
 */
import { behaviours } from '../behaviour.js';
import { startBackendHost } from '../client.js';

if (process.argv.includes('--orphan-parent')) {
  const host = await startBackendHost();
  const info = await host.define({ name: 'orphan', port: 0, behaviour: behaviours.ok() });
  process.stdout.write(`${info.port} ${host.pid}\n`);
  setInterval(() => {}, 1 << 30); // stays up until killed
} else {
  process.stdout.write('1..0 # a fixture of lifecycle.test.js\n');
}

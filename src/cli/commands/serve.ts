/**
 * `lbtest serve -c FILE [-p PREFIX] [-t] [-q]`: the bundled balancer in the foreground.
 * `-t` tests the configuration (as `lbtest check`). Once listening it prints
 * `lbtest: [notice] listening on ADDR:PORT` per address on stderr. SIGTERM and SIGINT stop it
 * gracefully; SIGHUP reloads the configuration.
 */
import cluster from 'node:cluster';
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../cli.js';
import { runCheck } from './check.js';
import { serve, printConfigError } from '../../balancer/serve.js';

export const SERVE_USAGE = 'usage: lbtest serve -c FILE [-p PREFIX] [-t] [-q]\n';

export async function serveCommand(argv: readonly string[], io: Io): Promise<ExitCode> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { conf: { type: 'string', short: 'c' }, prefix: { type: 'string', short: 'p' }, test: { type: 'boolean', short: 't' }, quiet: { type: 'boolean', short: 'q' } },
    }));
  } catch (e) {
    io.stderr.write(`lbtest: ${(e as Error).message}\n${SERVE_USAGE}`);
    return EXIT.usage;
  }
  if (values.conf === undefined) { io.stderr.write(SERVE_USAGE); return EXIT.usage; }
  const prefix = values.prefix === undefined ? undefined : resolve(io.cwd, values.prefix);
  const file = isAbsolute(values.conf) ? values.conf : resolve(prefix ?? io.cwd, values.conf);
  if (values.test === true) return runCheck(file, prefix, values.quiet === true, io);

  let running;
  try {
    running = await serve({
      file, prefix, stderr: io.stderr,
      onReady: (addrs) => {
        for (const a of addrs) io.stderr.write(`lbtest: [notice] listening on ${a.host}:${a.port}\n`);
        if (cluster.isWorker) process.send?.('ready');
      },
    });
  } catch (e) {
    printConfigError(io.stderr, e);
    return EXIT.failed;
  }
  const r = running;
  const stop = (): void => { void r.stop(); };
  if (cluster.isWorker) {
    process.on('message', (m) => { if (m === 'stop') stop(); });
    process.on('disconnect', stop);
    process.on('SIGINT', () => undefined);
    process.on('SIGHUP', () => undefined);
  } else {
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    process.on('SIGHUP', () => { void r.reload().then((ok) => { if (ok) io.stderr.write('lbtest: [notice] configuration reloaded\n'); }); });
  }
  process.on('unhandledRejection', (err) => { io.stderr.write(`lbtest: [alert] unhandled rejection: ${String(err)}\n`); });
  process.on('uncaughtException', (err) => { io.stderr.write(`lbtest: [alert] uncaught exception: ${err.stack ?? String(err)}\n`); });
  const code = await r.stopped;
  process.removeListener('SIGTERM', stop);
  process.removeListener('SIGINT', stop);
  if (cluster.isWorker && process.connected) process.disconnect();
  return code === 0 ? EXIT.ok : EXIT.harness;
}

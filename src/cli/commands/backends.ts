/**
 * `lbtest backends up FILE [--profiles DIR]...`: starts the backends of a backends file or of a
 * suite (its `backends:` section), prints where they listen and an nginx upstream block to paste,
 * and keeps them up until SIGINT or SIGTERM; then stops them and the host process, and exits 0.
 */
import { isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startBackendHost, type BackendHost } from '../../backends/client.js';
import type { BackendSpec } from '../../backends/behaviour.js';
import type { BackendInfo } from '../../backends/protocol.js';
import { loadBackendsFile } from '../../backends/spec/load.js';
import { isLbtestError } from '../../core/errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../cli.js';

export const BACKENDS_USAGE = 'usage: lbtest backends up FILE [--profiles DIR]...\n';

export async function backends(argv: readonly string[], io: Io): Promise<ExitCode> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv], allowPositionals: true,
      options: { profiles: { type: 'string', multiple: true } },
    }));
  } catch (e) {
    io.stderr.write(`lbtest: ${(e as Error).message}\n${BACKENDS_USAGE}`);
    return EXIT.usage;
  }
  const [sub, file, ...extra] = positionals;
  if (sub !== 'up' || file === undefined || extra.length > 0) {
    io.stderr.write(BACKENDS_USAGE);
    return EXIT.usage;
  }
  const profileDirs = (values.profiles ?? []).map((d) => resolve(io.cwd, d));
  // The handlers stay until the backends are down: while we listen, no other handler (execa's
  // cleanup) takes a signal as the end of the process.
  let signalled = (): void => {};
  const stop = new Promise<void>((done) => { signalled = done; });
  process.on('SIGINT', signalled);
  process.on('SIGTERM', signalled);
  try {
    return await backendsUp(isAbsolute(file) ? file : resolve(io.cwd, file), profileDirs, io, stop);
  } finally {
    process.off('SIGINT', signalled);
    process.off('SIGTERM', signalled);
  }
}

/** The command's body, with the stop condition injected (tests pass their own). */
export async function backendsUp(file: string, profileDirs: readonly string[], io: Io, stop: Promise<void>): Promise<ExitCode> {
  let specs: BackendSpec[];
  try {
    specs = loadBackendsFile(file, { profileDirs });
  } catch (err) {
    io.stderr.write(`lbtest: ${isLbtestError(err) ? err.message : String(err)}\n`);
    return EXIT.badInput;
  }
  let host: BackendHost | undefined;
  try {
    host = await startBackendHost();
    const infos = await host.defineAll(specs);
    io.stdout.write(describeUp(infos, host.pid));
    const ended = await Promise.race([stop.then(() => 'stopped' as const), host.exited.then(() => 'died' as const)]);
    if (ended === 'died') {
      io.stderr.write('lbtest: the backend host exited unexpectedly\n');
      return EXIT.harness;
    }
    await host.stop();
    io.stdout.write('backends stopped\n');
    return EXIT.ok;
  } catch (err) {
    io.stderr.write(`lbtest: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.harness;
  } finally {
    await host?.stop();
  }
}

/** The listing people read, then an upstream block for nginx. */
export function describeUp(infos: readonly BackendInfo[], pid: number | undefined): string {
  const width = Math.max(...infos.map((i) => i.name.length));
  const lines = infos.map((i) => `  ${i.name.padEnd(width)}  ${`http://${i.address}`.padEnd(28)}  ${i.description}`);
  const servers = infos.map((i) => `    server ${i.address};${i.listening ? '' : '  # not listening'}`);
  return [
    `backends up (host pid ${pid ?? '?'}); Ctrl-C stops them`,
    ...lines,
    '',
    'upstream backends {',
    ...servers,
    '}',
    '',
  ].join('\n');
}

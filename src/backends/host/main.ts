/**
 * Process entry of the backend host, started by the runner (client.ts) with an IPC channel.
 * Reads commands from the channel, replies to each once it is in effect, and never outlives its
 * parent: when the channel closes (the parent exited or died) it resets every connection and exits.
 *
 *   node dist/backends/host/main.js --lbtest-backend-host [--no-record]
 *
 * Without its flag (run by hand, or by a test runner sweeping a folder) it does nothing.
 */
import { isLbtestError } from '../../core/errors.js';
import type { HostMessage, Request } from '../protocol.js';
import { Host } from './host.js';

export const HOST_FLAG = '--lbtest-backend-host';

if (!process.argv.includes(HOST_FLAG) || typeof process.send !== 'function') {
  if (process.env['TAP'] === '1') process.stdout.write('1..0 # the backend host runs under lbtest only\n');
  else process.stderr.write('lbtest backend host: started by lbtest only (it needs its flag and an IPC channel)\n');
  process.exit(process.env['TAP'] === '1' ? 0 : 2);
}

// Record chunks go to the runner as they fill; send() serializes at once, so the chunk may be reused.
const host = new Host({ record: !process.argv.includes('--no-record'), ship: (batch) => send({ type: 'records', batch }) });

function send(message: HostMessage, then?: () => void): void {
  if (!process.connected) return;
  process.send!(message, undefined, {}, (err) => {
    if (err !== null && err !== undefined) process.stderr.write(`lbtest backend host: cannot reply: ${err.message}\n`);
    then?.();
  });
}

process.on('message', (req: Request) => {
  host.run(req, (batch) => send({ type: 'batch', id: req.id, batch })).then(
    (result) => send({ type: 'reply', id: req.id, ok: true, result }, req.op === 'stop' ? exitNow : undefined),
    (err: unknown) => {
      const code = isLbtestError(err) ? err.code : 'INTERNAL';
      const message = err instanceof Error ? err.message : String(err);
      send({ type: 'reply', id: req.id, ok: false, code, message });
    },
  );
});

// Ctrl-C in a terminal signals the whole process group; the parent decides when the host stops.
process.on('SIGINT', () => {});

process.on('disconnect', () => {
  host.stopAll().finally(exitNow);
});

function exitNow(): void {
  process.exit(0);
}

send({ type: 'ready', pid: process.pid });

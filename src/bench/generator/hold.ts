/**
 * Many idle client connections held open on a balancer, for a reading of its resident memory:
 * each connection sends one kept-alive request and, once answered, stays open and silent until
 * released. Opened in batches of OPEN_BATCH so that the listen backlog is not overrun.
 * Bounded: what is not answered by `maxDurationMs` is counted as an error and closed.
 */
import { connect, type Socket } from 'node:net';
import type { HoldJob, HoldResult } from './load.js';

const OPEN_BATCH = 100;
const CRLF2 = Buffer.from('\r\n\r\n');

export interface Held {
  readonly result: HoldResult;
  release(): void;
}

export function holdConnections(job: HoldJob): Promise<Held> {
  const req = Buffer.from(`GET ${job.path} HTTP/1.1\r\nHost: bench\r\n\r\n`, 'latin1');
  const sockets: Socket[] = [];
  let answered = 0, failed = 0, opened = 0;
  return new Promise((resolve) => {
    const settle = (): void => {
      clearTimeout(timer);
      resolve({
        result: { kind: 'hold', held: answered, errors: failed + (job.connections - answered - failed) },
        release: () => { for (const s of sockets) s.destroy(); },
      });
    };
    const timer = setTimeout(settle, job.maxDurationMs);
    const done = (): void => {
      if (answered + failed === job.connections) settle();
      else if (answered + failed === opened) batch();
    };
    const one = (): void => {
      const s = connect({ host: '127.0.0.1', port: job.port });
      sockets.push(s);
      let got: Buffer | null = null, counted = false;
      s.on('connect', () => s.write(req));
      s.on('data', (chunk: Buffer) => {
        if (counted) return;
        got = got === null ? chunk : Buffer.concat([got, chunk]);
        if (got.indexOf(CRLF2) < 0) return;
        counted = true; answered++; got = null;
        done();
      });
      s.on('error', () => undefined);
      s.on('close', () => { if (!counted) { counted = true; failed++; done(); } });
    };
    const batch = (): void => {
      const n = Math.min(OPEN_BATCH, job.connections - opened);
      opened += n;
      for (let i = 0; i < n; i++) one();
    };
    batch();
  });
}

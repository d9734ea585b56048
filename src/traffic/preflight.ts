/**
 * Checks made once before traffic starts, so that a wrong set-up is an error with a remedy rather
 * than a run full of failed requests: the target is on this machine (lbtest sends traffic to
 * loopback only), and 127.a.b.c source addresses can be bound (Linux: any 127/8 address;
 * macOS needs `ifconfig lo0 alias`).
 */
import { createServer } from 'node:net';
import { isIPv4, isIPv6 } from 'node:net';
import { LbtestError } from '../core/errors.js';
import type { TrafficTarget } from './spec.js';

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIPv4(host)) return host.startsWith('127.');
  if (isIPv6(host)) return host === '::1' || /^::ffff:127\./i.test(host);
  return false;
}

export function checkLoopback(target: TrafficTarget): void {
  if (!isLoopback(target.host)) {
    throw new LbtestError('TRAFFIC_RUN', `traffic goes to loopback addresses only; the target is ${target.host}:${target.port}`,
      { hint: 'run the balancer on this machine, listening on 127.0.0.1' });
  }
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    throw new LbtestError('TRAFFIC_RUN', `the target port must be 1-65535, found ${target.port}`);
  }
}

/** Resolves if a TCP socket can bind `address`; rejects with TRAFFIC_RUN otherwise. */
export function checkBindable(address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err) => reject(new LbtestError('TRAFFIC_RUN',
      `cannot bind the client source address ${address}: ${(err as Error).message}`,
      { hint: 'on macOS: sudo ifconfig lo0 alias ' + address + ' up', cause: err })));
    server.listen(0, address, () => server.close(() => resolve()));
  });
}

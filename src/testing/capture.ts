/** An Io for running CLI commands in-process and reading what they wrote. */
import { PassThrough } from 'node:stream';

export interface Captured {
  readonly io: { stdout: PassThrough; stderr: PassThrough; cwd: string };
  out(): string;
  err(): string;
}

export function captureIo(cwd = process.cwd()): Captured {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '', e = '';
  stdout.on('data', (c: Buffer) => { o += c.toString(); });
  stderr.on('data', (c: Buffer) => { e += c.toString(); });
  return { io: { stdout, stderr, cwd }, out: () => o, err: () => e };
}

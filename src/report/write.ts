/**
 * Writing reports: atomically (a temporary file in the same folder, then a rename), so an
 * interrupted run never leaves a half-written file behind.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunReport } from '../runner/report-model.js';

export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${process.pid}.${Date.now()}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function reportJson(r: RunReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}

/** `reports/weighted-bundled-2026-11-24T03-10-00.json`. */
export function reportFileName(r: RunReport, dir: string): string {
  const base = r.suite.file.split('/').pop()!.replace(/\.ya?ml$/, '');
  return join(dir, `${base}-${r.target.kind}-${r.startedAt.replace(/[:.]/g, '-').replace(/-\d+Z$/, 'Z')}.json`);
}

/**
 * The backend host: the named backends of one run and the recorder they share, driven by commands
 * (protocol.ts). Commands take effect one at a time, in the order they arrive, and each resolves
 * only once its effect holds (see backend.ts). Must not: know about IPC (main.ts does).
 */
import { LbtestError } from '../../core/errors.js';
import type { Command, HostMessage, HostStats, BackendInfo, DrainResult, RecordBatch } from '../protocol.js';
import { Backend } from './backend.js';
import { Recorder } from './recorder.js';

export class Host {
  readonly recorder: Recorder;
  readonly #backends = new Map<string, Backend>();
  #connIds = 0;
  #queue: Promise<unknown> = Promise.resolve();

  /** `ship` receives record chunks as they fill (see recorder.ts); it must copy them before returning. */
  constructor(opts: { record: boolean; ship?: (batch: RecordBatch) => void }) {
    this.recorder = new Recorder(opts.record, opts.ship ?? null);
  }

  /** Runs a command after every earlier one; `emit` carries record batches of a drain. */
  run(cmd: Command, emit: (batch: Extract<HostMessage, { type: 'batch' }>['batch']) => void): Promise<unknown> {
    const result = this.#queue.then(() => this.#execute(cmd, emit));
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #execute(cmd: Command, emit: (batch: Extract<HostMessage, { type: 'batch' }>['batch']) => void): Promise<unknown> {
    switch (cmd.op) {
      case 'define': {
        if (this.#backends.has(cmd.spec.name)) {
          throw new LbtestError('BACKEND_START', `backend "${cmd.spec.name}" is already defined`);
        }
        const backend = await Backend.start(cmd.spec, this.recorder, () => (this.#connIds = (this.#connIds + 1) >>> 0));
        this.#backends.set(backend.name, backend);
        return backend.info();
      }
      case 'kill': return this.#one(cmd.name, (b) => b.kill());
      case 'revive': return this.#one(cmd.name, (b) => b.revive());
      case 'switch': return this.#one(cmd.name, (b) => b.switch(cmd.behaviour));
      case 'drain': {
        const { batches, stringBase, strings } = this.recorder.drain();
        for (const batch of batches) emit(batch);
        const result: DrainResult = { stringBase, strings, batches: batches.length };
        return result;
      }
      case 'stats': return this.stats(cmd.resetPeaks);
      case 'stop': await this.stopAll(); return {};
    }
  }

  async #one(name: string, act: (b: Backend) => Promise<void>): Promise<BackendInfo> {
    const backend = this.#backends.get(name);
    if (backend === undefined) throw new LbtestError('BACKEND_CONTROL', `no backend named "${name}"`);
    await act(backend);
    return backend.info();
  }

  stats(resetPeaks: boolean): HostStats {
    const cpu = process.cpuUsage();
    return {
      cpuUserUs: cpu.user, cpuSystemUs: cpu.system, rssBytes: process.memoryUsage.rss(),
      pendingRecords: this.recorder.pending,
      backends: [...this.#backends.values()].map((b) => b.stats(resetPeaks)),
    };
  }

  /** Closes every listener and resets every connection. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#backends.values()].map((b) => b.kill()));
  }
}

/**
 * What a mock backend does, as the runner asks for it. One discriminated union, already normalized
 * (every duration in ms, every size in bytes, defaults filled in from DEFAULTS), plain data so it
 * crosses the IPC channel to the host unchanged. The host compiles it into a Plan (host/plan.ts);
 * nothing here touches a socket or the file system.
 *
 * Vocabulary, as a client on the wire sees it:
 *   reset  TCP RST (SO_LINGER 0): ECONNRESET, the seed notes' "104: Connection reset by peer"
 *   close  FIN without a (complete) response: nginx's "upstream prematurely closed connection"
 *   hang   the connection is accepted and never answered (client timeouts)
 *   dead   nothing listens on the port (ECONNREFUSED); the port is kept for revival
 */

/** One response header; names and values are validated at the edge (spec/). */
export type Header = readonly [name: string, value: string];

/** The body of a reply. `name` is the backend's name and a newline, so every body says who answered. */
export type BodySpec =
  | { readonly kind: 'name' }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'size'; readonly bodyBytes: number }; // the name line, then filler, to exactly bodyBytes

/** A complete, correctly framed HTTP response (Content-Length framing, never chunked). */
export interface Reply {
  readonly status: number;
  readonly headers: readonly Header[];
  readonly body: BodySpec;
}

/** Headers leave after delayMs + uniform[0, jitterMs); the jitter draws from seededRandom(seed). */
export interface Latency {
  readonly delayMs: number;
  readonly jitterMs: number;
  readonly seed: number;
}

/** The body leaves chunkBytes at a time, one chunk every intervalMs, after the headers. */
export interface Trickle {
  readonly chunkBytes: number;
  readonly intervalMs: number;
}

/** Where a reset lands: at accept (no request read), before any response byte, or mid-body. */
export type ResetPoint = 'accept' | 'headers' | 'body';
/** Where a close lands: before any response byte, or mid-body (a truncated body). */
export type ClosePoint = 'headers' | 'body';

/** The misbehaviour a `flaky` backend shows when its trigger fires. */
export type Fault =
  | { readonly kind: 'reset'; readonly at: ResetPoint }
  | { readonly kind: 'close'; readonly at: ClosePoint }
  | { readonly kind: 'hang' }
  | { readonly kind: 'status'; readonly reply: Reply }
  | { readonly kind: 'slow'; readonly latency: Latency; readonly trickle: Trickle | null };

/** A half-open window [fromMs, toMs) measured from the moment the behaviour took effect. */
export interface Window {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * When a fault fires. Requests (connections, for a reset at accept) are numbered 1, 2, 3 … from
 * the moment the behaviour took effect: `every: 3` faults numbers 3, 6, 9 …
 */
export type Trigger =
  | { readonly kind: 'every'; readonly every: number }
  | { readonly kind: 'probability'; readonly probability: number; readonly seed: number }
  | { readonly kind: 'schedule'; readonly windows: readonly Window[] };

export type Behaviour =
  | { readonly kind: 'ok'; readonly reply: Reply }
  | { readonly kind: 'status'; readonly reply: Reply }
  | { readonly kind: 'slow'; readonly reply: Reply; readonly latency: Latency; readonly trickle: Trickle | null }
  | { readonly kind: 'reset'; readonly at: ResetPoint; readonly every: number; readonly reply: Reply }
  | { readonly kind: 'close'; readonly at: ClosePoint; readonly every: number; readonly reply: Reply }
  | { readonly kind: 'hang'; readonly every: number; readonly reply: Reply }
  | { readonly kind: 'dead' }
  | { readonly kind: 'flaky'; readonly reply: Reply; readonly fault: Fault; readonly trigger: Trigger }
  | { readonly kind: 'static'; readonly root: string; readonly index: string; readonly headers: readonly Header[] };

export type BehaviourKind = Behaviour['kind'];

/** A named backend: its behaviour and the port asked for (0: an ephemeral port). */
export interface BackendSpec {
  readonly name: string;
  readonly port: number;
  readonly behaviour: Behaviour;
}

/** Every default in one table. */
export const DEFAULTS = {
  status: 200,
  resetAt: 'headers',
  closeAt: 'headers',
  every: 1,
  seed: 1,
  jitterMs: 0,
  index: 'index.html',
  port: 0,
} as const;

/** A backend name: it appears in a response header and in suite templates ({{a}}). */
export const BACKEND_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export const DEFAULT_REPLY: Reply = { status: DEFAULTS.status, headers: [], body: { kind: 'name' } };

/** Shorthands for code that builds behaviours by hand (the runner, tests). */
export const behaviours = {
  ok: (reply: Partial<Reply> = {}): Behaviour => ({ kind: 'ok', reply: { ...DEFAULT_REPLY, ...reply } }),
  status: (status: number, reply: Partial<Reply> = {}): Behaviour =>
    ({ kind: 'status', reply: { ...DEFAULT_REPLY, ...reply, status } }),
  slow: (latency: Partial<Latency>, trickle: Trickle | null = null, reply: Partial<Reply> = {}): Behaviour => ({
    kind: 'slow', reply: { ...DEFAULT_REPLY, ...reply }, trickle,
    latency: { delayMs: 0, jitterMs: DEFAULTS.jitterMs, seed: DEFAULTS.seed, ...latency },
  }),
  reset: (at: ResetPoint = DEFAULTS.resetAt, every: number = DEFAULTS.every, reply: Partial<Reply> = {}): Behaviour =>
    ({ kind: 'reset', at, every, reply: { ...DEFAULT_REPLY, ...reply } }),
  close: (at: ClosePoint = DEFAULTS.closeAt, every: number = DEFAULTS.every, reply: Partial<Reply> = {}): Behaviour =>
    ({ kind: 'close', at, every, reply: { ...DEFAULT_REPLY, ...reply } }),
  hang: (every: number = DEFAULTS.every): Behaviour => ({ kind: 'hang', every, reply: DEFAULT_REPLY }),
  dead: (): Behaviour => ({ kind: 'dead' }),
  flaky: (fault: Fault, trigger: Trigger, reply: Partial<Reply> = {}): Behaviour =>
    ({ kind: 'flaky', fault, trigger, reply: { ...DEFAULT_REPLY, ...reply } }),
  static: (root: string, index: string = DEFAULTS.index): Behaviour => ({ kind: 'static', root, index, headers: [] }),
} as const;

/** One line for people: `slow 50ms+10ms`, `reset at body every 3rd`, `flaky (hang, p=0.2)`. */
export function describeBehaviour(b: Behaviour): string {
  switch (b.kind) {
    case 'ok': return b.reply.status === 200 ? 'ok' : `ok ${b.reply.status}`;
    case 'status': return `status ${b.reply.status}`;
    case 'slow': return `slow ${describeLatency(b.latency)}${b.trickle === null ? '' : ` ${describeTrickle(b.trickle)}`}`;
    case 'reset': return `reset at ${b.at}${describeEvery(b.every)}`;
    case 'close': return `close at ${b.at}${describeEvery(b.every)}`;
    case 'hang': return `hang${describeEvery(b.every)}`;
    case 'dead': return 'dead (refuses connections)';
    case 'flaky': return `flaky (${describeFault(b.fault)}, ${describeTrigger(b.trigger)})`;
    case 'static': return `static ${b.root}`;
  }
}

function describeLatency(l: Latency): string {
  return `${l.delayMs}ms${l.jitterMs > 0 ? `+${l.jitterMs}ms` : ''}`;
}

function describeTrickle(t: Trickle): string {
  return `trickle ${t.chunkBytes}B/${t.intervalMs}ms`;
}

function describeEvery(every: number): string {
  return every === 1 ? '' : ` every ${every}`;
}

function describeFault(f: Fault): string {
  switch (f.kind) {
    case 'reset': return `reset at ${f.at}`;
    case 'close': return `close at ${f.at}`;
    case 'hang': return 'hang';
    case 'status': return `status ${f.reply.status}`;
    case 'slow': return `slow ${describeLatency(f.latency)}${f.trickle === null ? '' : ` ${describeTrickle(f.trickle)}`}`;
  }
}

function describeTrigger(t: Trigger): string {
  switch (t.kind) {
    case 'every': return `every ${t.every}`;
    case 'probability': return `p=${t.probability} seed ${t.seed}`;
    case 'schedule': return `during ${t.windows.map((w) => `${w.fromMs}-${w.toMs}ms`).join(', ')}`;
  }
}

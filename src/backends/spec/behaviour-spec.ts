/**
 * One backend entry of a `backends:` section -> a normalized Behaviour (behaviour.ts). Shape first
 * (keys allowed per kind, value types), then defaults from DEFAULTS, then the cross-field rules,
 * each a small named function. Reports every issue it finds; returns undefined if there was one.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  DEFAULTS, type Behaviour, type BehaviourKind, type BodySpec, type ClosePoint, type Fault, type Header, type Latency,
  type Reply, type ResetPoint, type Trickle, type Trigger, type Window,
} from '../behaviour.js';
import {
  atKey, atValue, isScalarField, readChoice, readDurationMs, readFraction, readInt, readSeq, readSizeBytes,
  readString, subFields, type Field, type Fields,
} from './fields.js';
import { found, type Issues } from './source.js';

export const KINDS: readonly BehaviourKind[] = ['ok', 'status', 'slow', 'reset', 'close', 'hang', 'dead', 'flaky', 'static'];
const REPLY_KEYS = ['status', 'headers', 'body', 'bodySize'] as const;
const LATENCY_KEYS = ['delay', 'jitter', 'seed', 'trickle'] as const;
const TRIGGER_KEYS = ['every', 'probability', 'seed', 'schedule'] as const;

/** Keys each kind takes, besides `kind`, `port` and `profile`. */
export const KEYS_BY_KIND: Readonly<Record<BehaviourKind, readonly string[]>> = {
  ok: REPLY_KEYS, status: REPLY_KEYS,
  slow: [...REPLY_KEYS, ...LATENCY_KEYS],
  reset: [...REPLY_KEYS, 'at', 'every'], close: [...REPLY_KEYS, 'at', 'every'], hang: [...REPLY_KEYS, 'every'],
  dead: [],
  flaky: [...REPLY_KEYS, 'fault', ...TRIGGER_KEYS],
  static: ['root', 'index', 'headers'],
};
const FAULT_KEYS: Readonly<Record<Fault['kind'], readonly string[]>> = {
  reset: ['at'], close: ['at'], hang: [], status: REPLY_KEYS, slow: LATENCY_KEYS,
};

export const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Headers the host writes itself; a behaviour may not set them. */
const RESERVED_HEADERS = ['content-length', 'transfer-encoding', 'connection', 'x-lbtest-backend'];
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Reads an entry whose `kind` (default ok) has been taken out already. */
export function readBehaviour(kind: BehaviourKind, fields: Fields, issues: Issues): Behaviour | undefined {
  const before = issues.list.length;
  fields.rejectUnknown(['kind', 'port', 'profile', ...KEYS_BY_KIND[kind]], issues, `a ${kind} backend`);
  const b = shape(kind, fields, issues);
  return b !== undefined && issues.list.length === before && rulesHold(b, fields, issues) ? b : undefined;
}

function shape(kind: BehaviourKind, f: Fields, issues: Issues): Behaviour | undefined {
  switch (kind) {
    case 'ok': return { kind, reply: readReply(f, issues, 200) };
    case 'status': {
      if (!f.has('status')) issues.add('SUITE_SHAPE', f.at, 'a status backend needs `status:` (400-599)');
      return { kind, reply: readReply(f, issues, 400) };
    }
    case 'slow': {
      const latency = readLatency(f, issues), trickle = readTrickle(f, issues);
      if (!f.has('delay') && !f.has('trickle')) issues.add('SUITE_SHAPE', f.at, 'a slow backend needs `delay:` or `trickle:`, or both');
      return { kind, reply: readReply(f, issues, 200), latency, trickle };
    }
    case 'reset': return { kind, reply: readReply(f, issues, 200), every: readEvery(f, issues), at: readResetAt(f, issues) };
    case 'close': return { kind, reply: readReply(f, issues, 200), every: readEvery(f, issues), at: readCloseAt(f, issues) };
    case 'hang': return { kind, reply: readReply(f, issues, 200), every: readEvery(f, issues) };
    case 'dead': return { kind };
    case 'flaky': {
      const fault = f.get('fault');
      if (fault === undefined) {
        issues.add('SUITE_SHAPE', f.at, 'a flaky backend needs `fault:` (reset, close, hang, or a map with kind)');
        return undefined;
      }
      const reply = readReply(f, issues, 200), faultRead = readFault(fault, issues) ?? { kind: 'hang' };
      return { kind, reply, fault: faultRead, trigger: readTrigger(f, issues) };
    }
    case 'static': {
      const root = f.get('root');
      if (root === undefined) { issues.add('SUITE_SHAPE', f.at, 'a static backend needs `root:` (a directory)'); return undefined; }
      const dir = readString(issues, root);
      const index = opt(f, 'index', (x) => readString(issues, x)) ?? DEFAULTS.index;
      return { kind, root: dir === undefined ? '' : resolve(root.src.dir, dir), index, headers: readHeaders(f, issues) };
    }
  }
}

function readResetAt(f: Fields, issues: Issues): ResetPoint {
  return opt(f, 'at', (x) => readChoice(issues, x, ['accept', 'headers', 'body'] as const)) ?? DEFAULTS.resetAt;
}

function readCloseAt(f: Fields, issues: Issues): ClosePoint {
  return opt(f, 'at', (x) => readChoice(issues, x, ['headers', 'body'] as const)) ?? DEFAULTS.closeAt;
}

function opt<T>(f: Fields, key: string, read: (field: Field) => T | undefined): T | undefined {
  const field = f.get(key);
  return field === undefined ? undefined : read(field);
}

function readReply(f: Fields, issues: Issues, minStatus: number): Reply {
  const status = opt(f, 'status', (x) => readStatus(issues, x, minStatus)) ?? DEFAULTS.status;
  return { status, headers: readHeaders(f, issues), body: readBody(f, issues) };
}

function readStatus(issues: Issues, f: Field, min: number): number | undefined {
  const status = readInt(issues, f, min, 599);
  if (status === 204 || status === 304) {
    issues.add('SUITE_RULE', atValue(f), `status ${status} carries no body; choose another status${f.note}`);
    return undefined;
  }
  return status;
}

function readBody(f: Fields, issues: Issues): BodySpec {
  const text = opt(f, 'body', (x) => readString(issues, x));
  const bodyBytes = opt(f, 'bodySize', (x) => readSizeBytes(issues, x, MAX_BODY_BYTES));
  if (text !== undefined) return { kind: 'text', text };
  if (bodyBytes !== undefined) return { kind: 'size', bodyBytes };
  return { kind: 'name' };
}

function readHeaders(f: Fields, issues: Issues): Header[] {
  const field = f.get('headers');
  if (field === undefined) return [];
  const headers: Header[] = [];
  const map = subFields(issues, field);
  for (const name of map.keys()) {
    const h = map.get(name)!;
    const v = isScalarField(h) && h.value !== null ? String((h.value as { value: unknown }).value) : undefined;
    if (!TOKEN.test(name)) issues.add('SUITE_SHAPE', atKey(h), `expected a header name (letters, digits, -), found ${found(name)}`);
    else if (RESERVED_HEADERS.includes(name.toLowerCase())) issues.add('SUITE_RULE', atKey(h), `${name} is written by the backend itself and cannot be set`);
    else if (v === undefined || /[\r\n\0]/.test(v)) issues.add('SUITE_SHAPE', atValue(h), `expected a header value on one line, found ${found(v ?? null)}`);
    else headers.push([name, v]);
  }
  return headers;
}

function readEvery(f: Fields, issues: Issues): number {
  return opt(f, 'every', (x) => readInt(issues, x, 1, 1_000_000_000)) ?? DEFAULTS.every;
}

function readLatency(f: Fields, issues: Issues): Latency {
  return {
    delayMs: opt(f, 'delay', (x) => readDurationMs(issues, x)) ?? 0,
    jitterMs: opt(f, 'jitter', (x) => readDurationMs(issues, x)) ?? DEFAULTS.jitterMs,
    seed: opt(f, 'seed', (x) => readInt(issues, x, 0, 0xffff_ffff)) ?? DEFAULTS.seed,
  };
}

function readTrickle(f: Fields, issues: Issues): Trickle | null {
  const field = f.get('trickle');
  if (field === undefined) return null;
  const t = subFields(issues, field);
  t.rejectUnknown(['chunkSize', 'interval'], issues, 'trickle');
  const chunkBytes = opt(t, 'chunkSize', (x) => readSizeBytes(issues, x, MAX_BODY_BYTES));
  const intervalMs = opt(t, 'interval', (x) => readDurationMs(issues, x));
  if (!t.has('chunkSize') || !t.has('interval')) issues.add('SUITE_SHAPE', atValue(field), 'trickle needs `chunkSize:` and `interval:`');
  if (chunkBytes === 0) issues.add('SUITE_RULE', atValue(t.get('chunkSize')!), 'a trickle chunk must hold at least one byte');
  return { chunkBytes: chunkBytes ?? 1, intervalMs: intervalMs ?? 0 };
}

function readFault(field: Field, issues: Issues): Fault | undefined {
  if (isScalarField(field)) {
    const kind = readChoice(issues, field, ['reset', 'close', 'hang'] as const);
    if (kind === 'reset') return { kind, at: DEFAULTS.resetAt };
    if (kind === 'close') return { kind, at: DEFAULTS.closeAt };
    return kind === undefined ? undefined : { kind };
  }
  const f = subFields(issues, field);
  const kindField = f.get('kind');
  if (kindField === undefined) {
    issues.add('SUITE_SHAPE', atValue(field), 'a fault map needs `kind:` (reset, close, hang, status, slow)');
    return undefined;
  }
  const kind = readChoice(issues, kindField, ['reset', 'close', 'hang', 'status', 'slow'] as const);
  if (kind === undefined) return undefined;
  f.rejectUnknown(['kind', ...FAULT_KEYS[kind]], issues, `a ${kind} fault`);
  switch (kind) {
    case 'reset': return { kind, at: readResetAt(f, issues) };
    case 'close': return { kind, at: readCloseAt(f, issues) };
    case 'hang': return { kind };
    case 'status':
      if (!f.has('status')) issues.add('SUITE_SHAPE', atValue(field), 'a status fault needs `status:` (400-599)');
      return { kind, reply: readReply(f, issues, 400) };
    case 'slow':
      if (!f.has('delay') && !f.has('trickle')) issues.add('SUITE_SHAPE', atValue(field), 'a slow fault needs `delay:` or `trickle:`');
      return { kind, latency: readLatency(f, issues), trickle: readTrickle(f, issues) };
  }
}

function readTrigger(f: Fields, issues: Issues): Trigger {
  const given = (['every', 'probability', 'schedule'] as const).filter((k) => f.has(k));
  if (given.length !== 1) {
    const what = given.length === 0 ? 'none' : given.join(', ');
    issues.add('SUITE_SHAPE', f.at, `a flaky backend needs exactly one of \`every:\`, \`probability:\`, \`schedule:\`; found ${what}`);
    return { kind: 'every', every: 1 };
  }
  if (f.has('seed') && given[0] !== 'probability') issues.add('SUITE_RULE', atKey(f.get('seed')!), '`seed:` goes with `probability:` only');
  switch (given[0]!) {
    case 'every': return { kind: 'every', every: readEvery(f, issues) };
    case 'probability': return {
      kind: 'probability', probability: readFraction(issues, f.get('probability')!) ?? 0,
      seed: opt(f, 'seed', (x) => readInt(issues, x, 0, 0xffff_ffff)) ?? DEFAULTS.seed,
    };
    case 'schedule': return { kind: 'schedule', windows: readWindows(f.get('schedule')!, issues) };
  }
}

function readWindows(field: Field, issues: Issues): Window[] {
  const windows: Window[] = [];
  for (const item of readSeq(issues, field) ?? []) {
    const w = subFields(issues, item);
    w.rejectUnknown(['from', 'to'], issues, 'a schedule window');
    const fromMs = opt(w, 'from', (x) => readDurationMs(issues, x)) ?? 0;
    const toMs = opt(w, 'to', (x) => readDurationMs(issues, x)) ?? Number.POSITIVE_INFINITY;
    if (toMs <= fromMs) issues.add('SUITE_RULE', atValue(item), `a window must end after it starts (from ${fromMs}ms, to ${toMs}ms)`);
    windows.push({ fromMs, toMs });
  }
  return windows;
}

// Cross-field rules.

function rulesHold(b: Behaviour, f: Fields, issues: Issues): boolean {
  const before = issues.list.length;
  cutNeedsABody(b, f, issues);
  staticRootIsADirectory(b, f, issues);
  return issues.list.length === before;
}

/** A reset or close at `body` sends half the body: there must be at least two bytes. */
function cutNeedsABody(b: Behaviour, f: Fields, issues: Issues): void {
  const at = b.kind === 'reset' || b.kind === 'close' ? b.at : b.kind === 'flaky' && (b.fault.kind === 'reset' || b.fault.kind === 'close') ? b.fault.at : null;
  if (at !== 'body' || b.kind === 'dead' || b.kind === 'static') return;
  const body = b.reply.body;
  const bytes = body.kind === 'size' ? body.bodyBytes : body.kind === 'text' ? Buffer.byteLength(body.text) : 2;
  if (bytes < 2) issues.add('SUITE_RULE', f.at, `a cut at body needs a body of at least 2 bytes, found ${bytes}`);
}

function staticRootIsADirectory(b: Behaviour, f: Fields, issues: Issues): void {
  if (b.kind !== 'static') return;
  const isDir = (() => { try { return statSync(b.root).isDirectory(); } catch { return false; } })();
  if (!isDir) issues.add('SUITE_RULE', atValue(f.get('root')!), `static root ${b.root} is not a directory${f.get('root')!.note}`);
}

/**
 * A suite once loaded: validated, normalized (every duration in ms, every default filled in from
 * defaults.ts) and deeply frozen. The runner reads it; nothing re-validates it. Every phase,
 * action and expectation keeps its key path and location so that a report can point at the line
 * that stated it.
 */
import type { BackendSpec, Behaviour } from '../backends/behaviour.js';
import type { SourceLocation } from '../core/errors.js';
import type { BalanceMethod } from '../config/model.js';
import type { TrafficSpec } from '../traffic/spec.js';
import type { ClientErrorName } from '../traffic/results.js';

export type TargetName = 'bundled' | 'nginx' | 'url';
export const TARGET_NAMES: readonly TargetName[] = ['bundled', 'nginx', 'url'];

/** What a suite (or a phase) says about one target: skip it, or a note for the report. */
export interface TargetNote {
  readonly skip: string | null;
  readonly note: string | null;
}
export type TargetNotes = Readonly<Partial<Record<TargetName, TargetNote>>>;

/** Where a statement was written. */
export interface Origin {
  readonly path: string;
  readonly location: SourceLocation;
}

/**
 * An nginx configuration, before its addresses are known. Its text holds placeholders
 * (template.ts); `context: http` text is what goes inside `http { }` and lbtest wraps it.
 */
export type ConfigSource =
  | { readonly kind: 'inline'; readonly text: string; readonly firstLine: number }   // firstLine: the suite line of the text's line 1
  | { readonly kind: 'file'; readonly file: string };                                                         // absolute

export interface BalancerConfig extends Origin {
  /** `balancer` for the first, the key in `configs:` for the others. */
  readonly name: string;
  readonly source: ConfigSource;
  readonly context: 'http' | 'main';
  /** The upstream by-weight and ejection read; null when the configuration has none to choose. */
  readonly upstream: UpstreamView | null;
}

/** What an upstream block promises, server by server, with each server's suite backend. */
export interface UpstreamView {
  readonly name: string;
  readonly method: BalanceMethod['kind'];
  readonly servers: readonly ServerLine[];
}

export interface ServerLine {
  /** The suite backend the line names through a placeholder ({{a}}), or null (another address). */
  readonly backend: string | null;
  readonly address: string;
  readonly weight: number;
  readonly down: boolean;
  readonly backup: boolean;
  readonly maxFails: number;
  readonly failTimeoutMs: number;
  readonly maxConns: number;
}

export type Action =
  | (Origin & { readonly kind: 'kill'; readonly backend: string; readonly atMs: number })
  | (Origin & { readonly kind: 'revive'; readonly backend: string; readonly atMs: number })
  | (Origin & { readonly kind: 'switch'; readonly backend: string; readonly behaviour: Behaviour; readonly atMs: number })
  | (Origin & { readonly kind: 'reload'; readonly config: string; readonly atMs: number });
export type ActionKind = Action['kind'];

/** `<= 0.3`, `> 100`, `== 0`: a bound on a number (a count, a share 0..1, or µs). */
export interface Comparison {
  readonly op: '<' | '<=' | '>' | '>=' | '==';
  readonly value: number;
  /** As written, for messages: `<= 30%`, `< 50ms`. */
  readonly text: string;
}

/** What a count is out of: absolute, or a share of the phase's requests (written with %). */
export interface CountBound extends Comparison {
  readonly unit: 'count' | 'share';
}

/** `subnet`: the client's /24, the part of an IPv4 address nginx's ip_hash keys on. */
export type StickyKey =
  | { readonly kind: 'client' }
  | { readonly kind: 'subnet' }
  | { readonly kind: 'path' }
  | { readonly kind: 'header'; readonly name: string };

/** Where expected shares come from. */
export type Shares =
  | { readonly kind: 'by-weight'; readonly upstream: UpstreamView; readonly gone: readonly string[] }  // gone: killed or dead backends
  | { readonly kind: 'stated'; readonly weights: ReadonlyMap<string, number> };

export type DistributionCheck =
  | { readonly kind: 'exact'; readonly slack: number }                               // |observed - expected| <= slack requests
  | { readonly kind: 'statistical'; readonly tolerance: number; readonly alpha: number };   // share within ±tolerance and chi-square p >= alpha

export type Expectation =
  | (Origin & { readonly kind: 'distribution'; readonly shares: Shares; readonly check: DistributionCheck })
  | (Origin & { readonly kind: 'sequence'; readonly pattern: readonly string[] })
  | (Origin & { readonly kind: 'sticky'; readonly by: StickyKey; readonly moved: { readonly sincePhase: number; readonly share: Comparison } | null })
  | (Origin & { readonly kind: 'never'; readonly backends: readonly string[] })
  | (Origin & { readonly kind: 'only'; readonly backends: readonly string[] })
  | (Origin & { readonly kind: 'share'; readonly backend: string; readonly share: Comparison })
  | (Origin & { readonly kind: 'ejection'; readonly backend: string; readonly maxFails: number; readonly failTimeoutMs: number })
  | (Origin & { readonly kind: 'recovered'; readonly backend: string; readonly withinMs: number })
  | (Origin & { readonly kind: 'maxConcurrency'; readonly backend: string; readonly max: number })
  | (Origin & { readonly kind: 'status'; readonly status: StatusMatch; readonly count: CountBound })
  | (Origin & { readonly kind: 'errors'; readonly count: CountBound; readonly of: ClientErrorName | null })   // of: one kind, or any
  | (Origin & { readonly kind: 'answered'; readonly counts: ReadonlyMap<string, CountBound> })              // responses per backend, as the client saw them
  | (Origin & { readonly kind: 'connections'; readonly backend: string; readonly count: CountBound })       // upstream connections that carried requests
  | (Origin & { readonly kind: 'forwarded'; readonly header: ForwardedHeader })                             // each request carried its client's address to the backend
  | (Origin & { readonly kind: 'latency'; readonly percentile: number; readonly limitUs: Comparison })
  | (Origin & { readonly kind: 'throughput'; readonly minPerSec: number });
export type ExpectationKind = Expectation['kind'];

/** Headers the backends record, in which a balancer passes the client address on. */
export type ForwardedHeader = 'X-Real-IP' | 'X-Forwarded-For';
export const FORWARDED_HEADERS: readonly ForwardedHeader[] = ['X-Real-IP', 'X-Forwarded-For'];

/** `502` or a class `5xx`. */
export type StatusMatch =
  | { readonly kind: 'code'; readonly code: number }
  | { readonly kind: 'class'; readonly hundreds: number };

/** What holds when a phase's traffic starts, after its actions at offset 0. */
export interface PhaseState {
  /** Backends refusing connections: killed, or of kind dead. */
  readonly gone: readonly string[];
  /** The configuration in effect (a BalancerConfig name), or null without one. */
  readonly config: string | null;
}

export interface Phase extends Origin {
  readonly index: number;
  readonly name: string;
  readonly actions: readonly Action[];
  readonly traffic: TrafficSpec | null;
  readonly expect: readonly Expectation[];
  readonly targets: TargetNotes;
  readonly state: PhaseState;
}

export interface Suite {
  /** Absolute. */
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly backends: readonly BackendSpec[];
  /** The configuration the balancer boots with; null for a suite run only against a URL target. */
  readonly balancer: BalancerConfig | null;
  /** Other configurations, for `reload:` actions, by name. */
  readonly configs: ReadonlyMap<string, BalancerConfig>;
  readonly targets: TargetNotes;
  readonly phases: readonly Phase[];
  /** nginx's warnings about the configurations (`[warn] ... in file:line`), for the report. */
  readonly warnings: readonly string[];
}

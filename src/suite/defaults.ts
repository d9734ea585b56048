/**
 * Every default of the suite format in one table, and the limits that bound what a suite may ask.
 * The loader fills these in once (normalize); nothing downstream guesses a default again.
 */
export const SUITE_DEFAULTS = {
  description: '',
  /** `balancer:` text is what goes inside `http { }` unless it says `context: main`. */
  context: 'http',
  generator: 'own',
  method: 'GET',
  path: '/',
  /** `paths: N` requests PREFIX0 … PREFIX(N-1), PREFIX being `path:` if given, else this. */
  generatedPathPrefix: '/p/',
  /** A traffic section bounded by its request count only still stops after this long. */
  timeBoundMs: 60_000,
  /** A traffic section bounded by its duration only still stops after this many requests. */
  requestBound: 10_000_000,
  /** Open-loop traffic: requests in flight at most. */
  rateConnections: 16,
  requestTimeoutMs: 5_000,
  /** Sequential traffic: a count may be off by one (a cycle begun in an earlier phase). */
  exactSlack: 1,
  /** Concurrent traffic: every share within ±5 points (Gateway API's conformance tests use the same). */
  tolerance: 0.05,
  /** Chi-square significance level: p below it fails (shared/research §7). */
  alpha: 0.001,
  atMs: 0,
} as const;

export const LIMITS = {
  maxPaths: 1_000_000,
  maxKeys: 1_000_000,
  maxConnections: 10_000,
  maxRatePerSec: 1_000_000,
  maxRequests: 1_000_000_000,
} as const;

/**
 * The wrapper lbtest puts around `context: http` text so that it is a whole nginx.conf. One worker
 * (exact round-robin sequences need one peer state); the target adds pid, error_log and daemon
 * with `-g` or its own prefix. The text's line 1 is the wrapper's line WRAP_HEADER_LINES + 1.
 */
export const WRAP_HEADER = [
  '# lbtest: the suite\'s http-level configuration, wrapped',
  'worker_processes 1;',
  'events { worker_connections 1024; }',
  'http {',
] as const;
export const WRAP_HEADER_LINES = WRAP_HEADER.length;
export const WRAP_FOOTER = '}';

/**
 * The keys each map of a suite may have: the shape check rejects any other, and the JSON Schema
 * (schema/suite.schema.json) must list exactly these (a test holds the two together).
 */
export const SUITE_KEYS = ['name', 'description', 'backends', 'balancer', 'configs', 'targets', 'phases'] as const;
export const BALANCER_KEYS = ['text', 'file', 'context', 'upstream'] as const;
export const TARGET_NOTE_KEYS = ['skip', 'note'] as const;
export const PHASE_KEYS = ['name', 'actions', 'traffic', 'expect', 'targets'] as const;

/** An action is a map with one of these keys, `at:`, and for switch `to:`. */
export const ACTION_KINDS = ['kill', 'revive', 'switch', 'reload'] as const;
export const ACTION_KEYS: Readonly<Record<(typeof ACTION_KINDS)[number], readonly string[]>> = {
  kill: ['kill', 'at'], revive: ['revive', 'at'], switch: ['switch', 'to', 'at'], reload: ['reload', 'at'],
};

export const TRAFFIC_KEYS = [
  'requests', 'duration', 'connections', 'rate', 'generator', 'timeout',
  'clients', 'clientHeader', 'perSubnet', 'path', 'paths', 'keys', 'method', 'headers', 'body', 'bodySize',
] as const;
export const TRAFFIC_KEYS_KEYS = ['header', 'count'] as const;

export const EXPECT_KEYS = [
  'distribution', 'sequence', 'sticky', 'never', 'only', 'share', 'ejection', 'recovered',
  'max_concurrency', 'status', 'errors', 'latency', 'throughput', 'answered', 'connections', 'forwarded',
] as const;
/** `distribution:` as a map with `shares:` (otherwise a map is backend: weight). */
export const DISTRIBUTION_KEYS = ['shares', 'check', 'tolerance', 'alpha', 'slack'] as const;
export const STICKY_KEYS = ['by', 'since', 'moved'] as const;
export const EJECTION_KEYS = ['max_fails', 'fail_timeout'] as const;

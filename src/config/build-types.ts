/**
 * The mutable objects the composer fills while it walks a configuration; build.ts turns them into
 * the frozen model. A level (http, server, location) keeps each directive's value under the
 * directive's name, unset meaning "inherit", as nginx's conf structures do with NGX_CONF_UNSET.
 */
import type { LogTarget, Listen, LocationMatch, ProxyPass, Source, UpstreamServer, BalanceMethod, LogFormat } from './model.js';

export interface LevelBuild {
  /** Single-valued directives by name (`proxy_read_timeout` → ms). */
  readonly slots: Map<string, unknown>;
  /** Repeatable directives by name (`proxy_set_header` → entries); inherited only when a level sets none. */
  readonly lists: Map<string, unknown[]>;
}

export function newLevel(): LevelBuild {
  return { slots: new Map(), lists: new Map() };
}

export interface LocationBuild {
  readonly match: LocationMatch;
  readonly level: LevelBuild;
  readonly locations: LocationBuild[];
  proxyPass: ProxyPass | null;
  /** The group proxy_pass names (explicit or implicit); resolved to its key when the model is built. */
  proxyUpstream: UpstreamBuild | null;
  internal: boolean;
  readonly source: Source;
}

export interface ServerBuild {
  readonly level: LevelBuild;
  readonly listens: Listen[];
  readonly serverNames: string[];
  readonly locations: LocationBuild[];
  readonly source: Source;
}

/** nginx's upstream flags: which `server` parameters the balancing method in force accepts. */
export interface ServerParamFlags {
  weight: boolean; maxConns: boolean; maxFails: boolean; failTimeout: boolean; down: boolean; backup: boolean;
}

export interface UpstreamBuild {
  name: string;
  implicit: boolean;
  /** An implicit upstream's port (proxy_pass http://host:port); 0 when none was written. */
  port: number;
  noPort: boolean;
  method: BalanceMethod | null;
  flags: ServerParamFlags;
  servers: UpstreamServer[];
  keepalive: number;
  keepaliveRequests: number | undefined;
  keepaliveTimeMs: number | undefined;
  keepaliveTimeoutMs: number | undefined;
  zone: { name: string; sizeBytes: number | null } | null;
  source: Source;
  /** For implicit upstreams: the host to resolve at the end of the http block. */
  host: string;
}

export interface HttpBuild {
  readonly level: LevelBuild;
  readonly servers: ServerBuild[];
  readonly upstreams: UpstreamBuild[];
  readonly logFormats: Map<string, LogFormat>;
  /** Variables declared by set/map/geo (lbtest ignores those directives but must not call the names unknown). */
  readonly declaredVariables: Set<string>;
  /** Every variable name used, checked after the block as nginx does. */
  readonly usedVariables: string[];
}

export interface MainBuild {
  workerProcesses: number | 'auto' | undefined;
  pid: string | undefined;
  errorLogs: { target: LogTarget; level: string }[];
  events: { workerConnections: number | undefined } | null;
  http: HttpBuild | null;
}

/**
 * The normalised configuration that the bundled balancer runs: what an nginx.conf means once it
 * has been lexed, parsed, validated and merged. Built once by `loadConfig`, deeply frozen, never
 * re-validated per request. Durations are milliseconds and sizes bytes, whatever units the file
 * used; names are nginx's, camel-cased.
 */

/** Where a directive was written; `line` is nginx's line, `col` the first column of the directive. */
export interface Source {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** A string with variables: `"$host:$server_port"` → text and var parts. Evaluated per request. */
export interface ComplexValue {
  readonly raw: string;
  readonly parts: readonly ValuePart[];
}
export type ValuePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'var'; readonly name: string };

/** One resolved address of an upstream `server` line (a hostname may resolve to several). */
export type PeerAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly family: 4 | 6; readonly name: string }
  | { readonly kind: 'unix'; readonly path: string; readonly name: string };
// `name` is what $upstream_addr prints: `127.0.0.1:8081`, `[::1]:8081`, `unix:/tmp/s`.

/** One `server` line of an upstream block. */
export interface UpstreamServer {
  /** The address exactly as written (`127.0.0.1:8081`, `backend:80`, `unix:/path`): the ketama ring hashes it. */
  readonly address: string;
  readonly addresses: readonly PeerAddress[];
  readonly weight: number;            // default 1
  readonly maxFails: number;          // default 1; 0 disables failure accounting
  readonly failTimeoutMs: number;     // default 10 s; whole seconds in nginx
  readonly maxConns: number;          // default 0 = unlimited
  readonly backup: boolean;
  readonly down: boolean;
  readonly source: Source;
}

export type BalanceMethod =
  | { readonly kind: 'round_robin' }
  | { readonly kind: 'ip_hash' }
  | { readonly kind: 'hash'; readonly key: ComplexValue; readonly consistent: boolean }
  | { readonly kind: 'least_conn' }
  | { readonly kind: 'random'; readonly two: boolean };   // `random two` always compares by least_conn

export interface UpstreamKeepalive {
  readonly connections: number;      // idle connections cached per worker
  readonly local: boolean;
}

export interface Upstream {
  /** As written in `upstream NAME` or, for an implicit upstream, `host:port` of proxy_pass. */
  readonly name: string;
  /** true for the group nginx makes from `proxy_pass http://127.0.0.1:8081`. */
  readonly implicit: boolean;
  readonly method: BalanceMethod;
  readonly servers: readonly UpstreamServer[];
  readonly keepalive: UpstreamKeepalive | null;
  readonly keepaliveRequests: number;     // default 1000
  readonly keepaliveTimeMs: number;       // default 1 h
  readonly keepaliveTimeoutMs: number;    // default 60 s
  readonly zone: { readonly name: string; readonly sizeBytes: number | null } | null;
  readonly source: Source;
}

/** The proxy_next_upstream mask; `off` clears every other flag. */
export interface NextUpstream {
  readonly error: boolean;
  readonly timeout: boolean;
  readonly invalidHeader: boolean;
  readonly http500: boolean;
  readonly http502: boolean;
  readonly http503: boolean;
  readonly http504: boolean;
  readonly http403: boolean;
  readonly http404: boolean;
  readonly http429: boolean;
  readonly nonIdempotent: boolean;
}

export interface HeaderSetting {
  readonly name: string;
  readonly value: ComplexValue;
}

export interface AddHeader extends HeaderSetting {
  readonly always: boolean;
}

export interface ProxySettings {
  readonly connectTimeoutMs: number;        // 60 s
  readonly sendTimeoutMs: number;           // 60 s
  readonly readTimeoutMs: number;           // 60 s
  readonly nextUpstream: NextUpstream;      // error timeout
  readonly nextUpstreamTries: number;       // 0 = bounded by the number of peers
  readonly nextUpstreamTimeoutMs: number;   // 0 = unlimited
  /** proxy_set_header lines in effect (inherited only when a level sets none), nginx's defaults not included. */
  readonly setHeaders: readonly HeaderSetting[];
  readonly httpVersion: '1.0' | '1.1';
  readonly buffering: boolean;
  readonly requestBuffering: boolean;
  readonly bufferSizeBytes: number;
  readonly buffers: { readonly count: number; readonly sizeBytes: number };
  readonly busyBuffersSizeBytes: number | null;
  readonly maxTempFileSizeBytes: number | null;
  readonly interceptErrors: boolean;
  /** proxy_method: the method sent upstream in place of the client's; null: the client's. */
  readonly method: ComplexValue | null;
  /** proxy_hide_header names in effect (inherited only when a level sets none), nginx's defaults not included. */
  readonly hideHeaders: readonly string[];
  /** proxy_pass_header names in effect (likewise): taken out of the hidden ones. */
  readonly passHeaders: readonly string[];
  /** proxy_ignore_headers X-Accel-Redirect: the header is not followed (it is still hidden). */
  readonly ignoreAccelRedirect: boolean;
  readonly passRequestHeaders: boolean;
  readonly passRequestBody: boolean;
  /**
   * proxy_redirect rules in effect (inherited only when a level sets none): [] for `off`; null
   * when no level sets any, so that `default` applies (the location's proxy_pass URL).
   */
  readonly redirects: readonly ProxyRedirect[] | null;
}

/** One proxy_redirect rule: a Location or Refresh value starting with `pattern` gets `replacement` instead. */
export type ProxyRedirect =
  | { readonly kind: 'text'; readonly pattern: ComplexValue; readonly replacement: ComplexValue }
  /** `~` / `~*` rules are accepted and never match (lbtest warns that it does not implement them). */
  | { readonly kind: 'regex' };

export interface ProxyPass {
  /** The upstream group (explicit or implicit) by its key in `HttpConfig.upstreams`; null when the URL has variables. */
  readonly upstream: string | null;
  readonly scheme: 'http' | 'https';
  /** `$proxy_host`: the group name, or host[:port] with the scheme's default port left out. */
  readonly proxyHost: string;
  /** The URI part after host[:port], or null when there is none (`proxy_pass http://u;`). */
  readonly uri: string | null;
  /** The URL as written (`proxy_redirect default` starts from it). */
  readonly url: string;
  /** The whole URL when it contains variables; evaluated per request. */
  readonly dynamic: ComplexValue | null;
  readonly source: Source;
}

export interface RealIp {
  readonly from: readonly CidrRange[];
  readonly header: string;                 // default X-Real-IP
  readonly recursive: boolean;
}

export type CidrRange =
  | { readonly kind: 'ipv4'; readonly addr: number; readonly bits: number }
  | { readonly kind: 'ipv6'; readonly addr: bigint; readonly bits: number }
  | { readonly kind: 'unix' };

export type LogTarget =
  | { readonly kind: 'file'; readonly path: string; readonly implicit?: boolean }   // implicit: nginx's built-in default
  | { readonly kind: 'stderr' }
  | { readonly kind: 'off' };

export interface AccessLog {
  readonly target: LogTarget;
  readonly format: string;                 // a log_format name; `combined` by default
}

export interface LogFormat {
  readonly name: string;
  readonly value: ComplexValue;
  readonly escape: 'default' | 'json' | 'none';
}

export type ReturnAction =
  | { readonly kind: 'status'; readonly status: number; readonly text: ComplexValue | null }
  | { readonly kind: 'redirect'; readonly status: number; readonly url: ComplexValue };

/**
 * One code of an error_page line: a response with `status` goes to `uri` (a path: an internal
 * redirect, GET unless HEAD; `@name`: that named location; else a 302 or `=3xx` redirect), sent
 * with `overwrite` for a status (-1: the original one; 0, a bare `=`: whatever the new location answers).
 */
export interface ErrorPage {
  readonly status: number;
  readonly overwrite: number;
  readonly uri: ComplexValue;
  /** The query of a constant `/path?query` (split once, as nginx does); null when the URI has variables or none. */
  readonly args: string | null;
}

/** Everything a request is served with once a location is chosen; merged from http → server → location. */
export interface LocationSettings {
  readonly proxy: ProxySettings;
  readonly root: string;                   // absolute; default <prefix>/html
  readonly alias: string | null;
  readonly index: readonly string[];       // default index.html
  /** `types`: extension (lowercase, no dot) -> type; null: nginx's built-in map (html, gif, jpg). */
  readonly types: ReadonlyMap<string, string> | null;
  readonly defaultType: string;            // text/plain
  readonly return: ReturnAction | null;
  /** error_page lines in effect (inherited only when a level sets none). */
  readonly errorPages: readonly ErrorPage[];
  readonly recursiveErrorPages: boolean;   // off
  /** Whether a file or index not found is logged (the static and index modules): on. */
  readonly logNotFound: boolean;
  readonly addHeaders: readonly AddHeader[];
  readonly accessLogs: readonly AccessLog[];
  readonly realIp: RealIp | null;          // null when no set_real_ip_from is in effect
  readonly clientHeaderTimeoutMs: number;  // 60 s (server level in nginx)
  readonly clientBodyTimeoutMs: number;    // 60 s
  readonly clientMaxBodySizeBytes: number; // 1m; 0 = unlimited
  readonly keepaliveTimeoutMs: number;     // 75 s; 0 disables client keep-alive
  readonly keepaliveRequests: number;      // 1000
  readonly sendTimeoutMs: number;          // 60 s
}

export type LocationMatch =
  | { readonly kind: 'prefix'; readonly path: string; readonly noRegex: boolean }   // noRegex for `^~`
  | { readonly kind: 'exact'; readonly path: string }
  | { readonly kind: 'regex'; readonly pattern: string; readonly caseless: boolean }
  | { readonly kind: 'named'; readonly name: string };

export interface Location {
  readonly match: LocationMatch;
  readonly settings: LocationSettings;
  /** `internal`: only internal redirects (error_page) reach it; a client's request gets 404. */
  readonly internal: boolean;
  readonly proxyPass: ProxyPass | null;
  readonly locations: readonly Location[];
  readonly source: Source;
}

export interface Listen {
  /** `*` for every IPv4 address, else an IP literal (no brackets) or a unix path. */
  readonly host: string;
  readonly port: number;
  readonly unix: string | null;
  readonly defaultServer: boolean;
  readonly source: Source;
}

export interface VirtualServer {
  readonly listens: readonly Listen[];
  readonly serverNames: readonly string[];
  /** Settings for a request that matches no location. */
  readonly settings: LocationSettings;
  readonly locations: readonly Location[];
  readonly largeClientHeaderBuffers: { readonly count: number; readonly sizeBytes: number };
  readonly clientHeaderBufferSizeBytes: number;
  readonly source: Source;
}

export interface HttpConfig {
  /** Keyed by lower-cased name (nginx matches upstream names case-insensitively), in creation order. */
  readonly upstreams: ReadonlyMap<string, Upstream>;
  readonly servers: readonly VirtualServer[];
  readonly logFormats: ReadonlyMap<string, LogFormat>;
}

export interface NginxConfig {
  /** The main file, absolute. */
  readonly file: string;
  /** `-p`: where relative paths (pid, logs, root) are resolved; ends without a slash. */
  readonly prefix: string;
  readonly workerProcesses: number | 'auto';
  readonly pid: string;                    // absolute
  readonly errorLogs: readonly { readonly target: LogTarget; readonly level: string }[];
  readonly events: { readonly workerConnections: number };
  readonly http: HttpConfig | null;
}

/** A non-fatal diagnostic, printed as `[warn] ... in file:line`. */
export interface ConfigWarning {
  readonly message: string;
  readonly source: { readonly file: string; readonly line: number; readonly col?: number } | null;
}

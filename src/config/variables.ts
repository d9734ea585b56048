/**
 * Strings with variables (`$name`, `${name}`), compiled once at load into text and variable parts
 * (nginx's ngx_http_compile_complex_value()), and the catalogue of variable names nginx knows.
 * An unknown name is reported after the http block, as nginx's ngx_http_variables_init_vars()
 * does: `unknown "name" variable`, with no file:line.
 */
import type { ComplexValue, ValuePart } from './model.js';

/** A compile problem, in nginx's words. */
export class VariableSyntaxError {
  constructor(readonly message: string) {}
}

export function compileValue(raw: string): ComplexValue {
  const parts: ValuePart[] = [];
  let text = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c !== '$') { text += c; continue; }
    let name: string;
    if (raw[i + 1] === '{') {
      const close = raw.indexOf('}', i + 2);
      if (close < 0) throw new VariableSyntaxError(`the closing bracket in "${raw.slice(i + 2)}" variable is missing`);
      name = raw.slice(i + 2, close);
      i = close;
    } else {
      const m = /^[A-Za-z0-9_]+/.exec(raw.slice(i + 1));
      if (m === null) throw new VariableSyntaxError('invalid variable name');
      name = m[0];
      i += name.length;
    }
    if (name.length === 0) throw new VariableSyntaxError('invalid variable name');
    if (text) { parts.push({ kind: 'text', text }); text = ''; }
    parts.push({ kind: 'var', name });
  }
  if (text) parts.push({ kind: 'text', text });
  return { raw, parts };
}

export function hasVariables(raw: string): boolean {
  return /\$/.test(raw);
}

/** Names nginx defines itself (core, upstream, proxy, realip, and a few common modules). */
const KNOWN = new Set([
  'args', 'binary_remote_addr', 'body_bytes_sent', 'bytes_sent', 'connection', 'connection_requests',
  'connection_time', 'content_length', 'content_type', 'document_root', 'document_uri', 'host',
  'hostname', 'https', 'is_args', 'limit_rate', 'msec', 'nginx_version', 'pid', 'pipe',
  'proxy_protocol_addr', 'proxy_protocol_port', 'proxy_protocol_server_addr', 'proxy_protocol_server_port',
  'query_string', 'realpath_root', 'remote_addr', 'remote_port', 'remote_user', 'request', 'request_body',
  'request_body_file', 'request_completion', 'request_filename', 'request_id', 'request_length',
  'request_method', 'request_time', 'request_uri', 'scheme', 'server_addr', 'server_name', 'server_port',
  'server_protocol', 'status', 'time_iso8601', 'time_local', 'uri', 'http_host', 'http_user_agent',
  'http_referer', 'http_via', 'http_x_forwarded_for', 'http_cookie', 'cookie', 'sent_http_content_type',
  'upstream_addr', 'upstream_status', 'upstream_response_time', 'upstream_connect_time',
  'upstream_header_time', 'upstream_response_length', 'upstream_bytes_received', 'upstream_bytes_sent',
  'upstream_cache_status', 'upstream_first_byte_time', 'upstream_session_time',
  'proxy_host', 'proxy_port', 'proxy_add_x_forwarded_for', 'proxy_internal_body_length',
  'proxy_internal_chunked', 'realip_remote_addr', 'realip_remote_port', 'gzip_ratio',
  'ssl_protocol', 'ssl_cipher', 'ssl_server_name', 'ssl_session_id', 'ssl_client_verify',
  'invalid_referer', 'secure_link', 'secure_link_expires', 'date_local', 'date_gmt', 'fastcgi_script_name',
  'fastcgi_path_info', 'uid_got', 'uid_set', 'uid_reset', 'geoip_country_code', 'connections_active',
  'connections_reading', 'connections_writing', 'connections_waiting', 'binary_remote_addr',
]);

/** Prefixes that make a family of variables (`$http_x_custom`, `$arg_id`, ...). */
const PREFIXES = [
  'http_', 'sent_http_', 'sent_trailer_', 'cookie_', 'arg_', 'upstream_http_', 'upstream_trailer_',
  'upstream_cookie_', 'tcpinfo_',
];

export function isKnownVariable(name: string, declared: ReadonlySet<string>): boolean {
  if (KNOWN.has(name) || declared.has(name) || /^\d+$/.test(name)) return true;
  return PREFIXES.some((p) => name.startsWith(p) && name.length > p.length);
}

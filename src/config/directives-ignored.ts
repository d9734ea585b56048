/**
 * Directives nginx knows and lbtest does not implement. They are accepted where nginx accepts
 * them (same contexts, same argument counts) and each occurrence gets a warning, so nobody
 * believes they are in effect. A name in neither table is an `unknown directive`, as in nginx.
 *
 * One line per directive: name, contexts, arity, and for blocks the context of their content
 * ('opaque' when the content is data, as in `types` or `map`).
 */
import type { Ctx, DirectiveSpec } from './spec.js';

const GROUPS: Record<string, readonly Ctx[]> = {
  main: ['main'], events: ['events'], http: ['http'], srv: ['server'], loc: ['location'],
  hs: ['http', 'server'], hsl: ['http', 'server', 'location'], hslif: ['http', 'server', 'location', 'if'],
  sl: ['server', 'location'], slif: ['server', 'sif', 'location', 'if'], lif: ['location', 'if'],
  hsllmt: ['http', 'server', 'location', 'limit_except'], liflmt: ['location', 'if', 'limit_except'],
};

const TABLE = `
user main take12
daemon main flag
master_process main flag
worker_rlimit_nofile main take1
worker_rlimit_core main take1
worker_priority main take1
worker_cpu_affinity main 1more
worker_shutdown_timeout main take1
working_directory main take1
timer_resolution main take1
lock_file main take1
pcre_jit main flag
load_module main take1
env main take1
thread_pool main take23
ssl_engine main take1
use events take1
multi_accept events flag
accept_mutex events flag
accept_mutex_delay events take1
debug_connection events take1
worker_aio_requests events take1
sendfile hslif flag
sendfile_max_chunk hsl take1
tcp_nopush hsl flag
tcp_nodelay hsl flag
types_hash_max_size hsl take1
types_hash_bucket_size hsl take1
server_names_hash_max_size http take1
server_names_hash_bucket_size http take1
variables_hash_max_size http take1
variables_hash_bucket_size http take1
server_tokens hsl take1
charset hslif take1
source_charset hslif take1
override_charset hslif flag
charset_types hsl 1more
try_files sl 2more
resolver hsl 1more
resolver_timeout hsl take1
log_subrequest hsl flag
open_log_file_cache hsl take1234
open_file_cache hsl take12
limit_except loc 1more block limit_except
client_body_buffer_size hsl take1
client_body_temp_path hsl take1234
client_body_in_file_only hsl take1
client_body_in_single_buffer hsl flag
merge_slashes hs flag
absolute_redirect hsl flag
port_in_redirect hsl flag
server_name_in_redirect hsl flag
chunked_transfer_encoding hsl flag
etag hsl flag
if_modified_since hsl take1
lingering_close hsl take1
lingering_time hsl take1
lingering_timeout hsl take1
reset_timedout_connection hsl flag
keepalive_disable hsl take12
aio hsl take1
directio hsl take1
output_buffers hsl take2
postpone_output hsl take1
limit_rate hslif take1
limit_rate_after hslif take1
satisfy hsl take1
msie_padding hsl flag
msie_refresh hsl flag
subrequest_output_buffer_size hsl take1
max_ranges hsl take1
disable_symlinks hsl take12
if sl 1more block if
set slif take2
rewrite slif take23
break slif noargs
rewrite_log hslif flag
uninitialized_variable_warn hslif flag
map http take2 block opaque
map_hash_max_size http take1
map_hash_bucket_size http take1
geo http take12 block opaque
split_clients http take2 block opaque
expires hslif take12
add_trailer hslif take23
gzip hslif flag
gzip_types hsl 1more
gzip_comp_level hsl take1
gzip_min_length hsl take1
gzip_proxied hsl 1more
gzip_vary hsl flag
gzip_disable hsl 1more
gzip_http_version hsl take1
gzip_buffers hsl take2
gzip_static hsl take1
gunzip hsl flag
ssl hs flag
ssl_certificate hs take1
ssl_certificate_key hs take1
ssl_password_file hs take1
ssl_protocols hs 1more
ssl_ciphers hs take1
ssl_prefer_server_ciphers hs flag
ssl_session_cache hs take12
ssl_session_timeout hs take1
ssl_session_tickets hs flag
ssl_dhparam hs take1
ssl_ecdh_curve hs take1
ssl_stapling hs flag
ssl_stapling_verify hs flag
ssl_trusted_certificate hs take1
ssl_client_certificate hs take1
ssl_verify_client hs take1
ssl_buffer_size hs take1
http2 hs flag
http2_max_field_size hs take1
http2_max_header_size hs take1
allow hsllmt take1
deny hsllmt take1
auth_basic hsllmt take1
auth_basic_user_file hsllmt take1
auth_request hsl take1
limit_req_zone http 3more
limit_req hsl take123
limit_req_status hsl take1
limit_req_log_level hsl take1
limit_conn_zone http take2
limit_conn hsl take2
limit_conn_status hsl take1
limit_conn_log_level hsl take1
autoindex hsl flag
stub_status sl noargs|take1
random_index loc flag
sub_filter hsl take2
sub_filter_once hsl flag
sub_filter_types hsl 1more
ssi hslif flag
fastcgi_pass liflmt take1
fastcgi_param hsl take23
fastcgi_index hsl take1
uwsgi_pass liflmt take1
scgi_pass liflmt take1
grpc_pass loc take1
proxy_set_body hsl take1
proxy_bind hsl take12
proxy_socket_keepalive hsl flag
proxy_limit_rate hsl take1
proxy_ignore_client_abort hsl flag
proxy_cookie_domain hsl take12
proxy_cookie_path hsl take12
proxy_headers_hash_max_size hsl take1
proxy_headers_hash_bucket_size hsl take1
proxy_temp_path hsl take1234
proxy_store hsl take1
proxy_cache hsl take1
proxy_cache_path http 2more
proxy_cache_key hsl take1
proxy_cache_valid hsl 1more
proxy_cache_bypass hsl 1more
proxy_no_cache hsl 1more
proxy_cache_use_stale hsl 1more
proxy_cache_lock hsl flag
proxy_cache_methods hsl 1more
proxy_ssl_verify hsl flag
proxy_ssl_server_name hsl flag
proxy_ssl_protocols hsl 1more
proxy_ssl_session_reuse hsl flag
`;

export const IGNORED_DIRECTIVES: readonly DirectiveSpec[] = TABLE.trim().split('\n').map((line) => {
  const [name, group, arity, block, inner] = line.trim().split(/\s+/) as [string, string, string, string?, string?];
  const contexts = GROUPS[group];
  if (contexts === undefined) throw new Error(`directives-ignored: unknown context group ${group}`);
  return {
    name, contexts, arity, block: block === 'block', ignored: 'unimplemented',
    ...(inner === undefined ? {} : { inner: inner as Ctx | 'opaque' }),
  } satisfies DirectiveSpec;
});

/**
 * proxy_method against real nginx: the method sent decides whether the answer has a body, not
 * the client's (ngx_http_proxy_module's ctx->head). A GET sent upstream as HEAD gets the head
 * and no body, at once, and a body sent anyway is warned about; a HEAD sent as GET ends at the
 * head, the body left unread and the upstream connection closed (r->header_only). Answers and
 * the error log's warn and error lines compared, their connection numbers too, which count the
 * upstream connections opened. Skipped, loudly, where nginx is not installed.
 */
import t from 'tap';
import { findNginx } from '../testing/nginx.js';
import { freePort, mainConfig } from '../testing/balancers.js';
import { answersOfBoth, headBackend } from '../testing/raw-answers.js';

/** The backend answers HEAD as HTTP says: the head alone. */
const answerFor = (method: string): string =>
  `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nX-Method: ${method}\r\n\r\n${method === 'HEAD' ? '' : 'body\n'}`;

const REQUESTS: [string, string][] = [
  ['GET sent as HEAD: the head, no body, no wait', 'GET /as-head/x HTTP/1.1'],
  ['HEAD sent as GET: the head, the body left unread', 'HEAD /as-get/x HTTP/1.1'],
  ['HEAD sent as GET, again: a new upstream connection', 'HEAD /as-get/y HTTP/1.1'],
  ['a GET after them', 'GET /plain HTTP/1.1'],
  ['head in lower case is HEAD too: the body the backend sends anyway is warned about', 'GET /lower/x HTTP/1.1'],
];

const nginx = findNginx();

t.test('the method sent upstream decides whether its answer has a body', { skip: nginx === null ? 'nginx is not installed' : false }, async (t) => {
  const be = await headBackend(answerFor);
  t.teardown(() => be.server.close());
  const port = await freePort();
  const conf = mainConfig(`upstream u { server 127.0.0.1:${be.port}; keepalive 4; }
server {
  listen 127.0.0.1:${port};
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_read_timeout 1s;
  location /as-head/ { proxy_pass http://u; proxy_method HEAD; }
  location /as-get/ { proxy_pass http://u; proxy_method GET; }
  location /lower/ { proxy_pass http://u; proxy_method head; }
  location / { proxy_pass http://u; }
}`);
  const { answers, logs } = await answersOfBoth(nginx!, conf, port, REQUESTS);
  for (const [name, [fromNginx, fromLbtest]] of answers) t.equal(fromLbtest, fromNginx, name);
  const lines = logs.map((l) => l.split('\n').filter((x) => / \[(warn|error)\] /.test(x)).map((x) => x.replace(/^.*?\[(\w+)\] \S+ /, '[$1] ')).join('\n'));
  t.equal(lines[1], lines[0], 'the same warnings and errors, with the same connection numbers');
  t.match(answers.get('GET sent as HEAD: the head, no body, no wait')![0], /\r\nX-Method: HEAD\r\n/, 'the backend was asked with HEAD');
});

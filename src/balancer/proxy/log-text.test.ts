/**
 * nginx's error-log wording and levels for upstream I/O errors, from Node error codes. No sockets.
 */
import t from 'tap';
import { clientClosed, connectFailed, errnoText, invalidHeader, ioFailed, prematurelyClosed, timedOut } from './log-text.js';
import { tcpPeer, unixPeer } from './testing.js';

const err = (code: string, errno = 0, syscall = 'connect'): NodeJS.ErrnoException =>
  Object.assign(new Error(code), { code, errno: -errno, syscall });

t.test('TCP connect errors reported later (SO_ERROR) and at once', async (t) => {
  const peer = tcpPeer(8081);
  const cases: [string, string, string][] = [
    ['ECONNREFUSED', 'connect() failed (111: Connection refused) while connecting to upstream', 'error'],
    ['EHOSTUNREACH', 'connect() failed (113: No route to host) while connecting to upstream', 'error'],
    ['ETIMEDOUT', 'connect() failed (110: Connection timed out) while connecting to upstream', 'error'],
    ['ENETUNREACH', 'connect() to 127.0.0.1:8081 failed (101: Network is unreachable) while connecting to upstream', 'error'],
    ['EADDRNOTAVAIL', 'connect() to 127.0.0.1:8081 failed (99: Cannot assign requested address) while connecting to upstream', 'crit'],
    ['EACCES', 'connect() to 127.0.0.1:8081 failed (13: Permission denied) while connecting to upstream', 'crit'],
  ];
  for (const [code, log, level] of cases) t.same(connectFailed(peer, err(code)), { log, level }, code);
});

t.test('unix-socket connect errors are all immediate', async (t) => {
  const peer = unixPeer('/tmp/lbtest-none.sock');
  t.same(connectFailed(peer, err('ENOENT')), {
    log: 'connect() to unix:/tmp/lbtest-none.sock failed (2: No such file or directory) while connecting to upstream', level: 'crit',
  });
  t.same(connectFailed(peer, err('ECONNREFUSED')), {
    log: 'connect() to unix:/tmp/lbtest-none.sock failed (111: Connection refused) while connecting to upstream', level: 'error',
  });
  t.same(connectFailed(peer, err('EAGAIN')), {
    log: 'connect() to unix:/tmp/lbtest-none.sock failed (11: Resource temporarily unavailable) while connecting to upstream', level: 'error',
  });
});

t.test('recv/readv/writev failures; unexpected errnos are alerts', async (t) => {
  t.same(ioFailed('recv()', err('ECONNRESET', 104, 'read'), 'reading response header from upstream'), {
    log: 'recv() failed (104: Connection reset by peer) while reading response header from upstream', level: 'error',
  });
  t.same(ioFailed('writev()', err('EPIPE', 32, 'write'), 'sending request to upstream'), {
    log: 'writev() failed (32: Broken pipe) while sending request to upstream', level: 'error',
  });
  t.same(ioFailed('readv()', err('ENOMEM', 12, 'read'), 'reading upstream'), {
    log: 'readv() failed (12: Cannot allocate memory) while reading upstream', level: 'alert',
  });
  t.equal(errnoText(err('EWEIRD', 999)), '(999: EWEIRD)', 'an errno missing from the table keeps its number and code');
});

t.test('timeouts, premature closes, invalid headers, client aborts', async (t) => {
  t.equal(timedOut('connecting to upstream').log, 'upstream timed out (110: Connection timed out) while connecting to upstream');
  t.equal(prematurelyClosed('reading upstream').log, 'upstream prematurely closed connection while reading upstream');
  t.equal(invalidHeader('X-A: b', 0).log, 'upstream sent invalid header: "X-A: b\\x00..." while reading response header from upstream');
  t.same(clientClosed('sending request to upstream'), {
    log: 'epoll_wait() reported that client prematurely closed connection, so upstream connection is closed too while sending request to upstream',
    level: 'info',
  });
});

import t from 'tap';
import { BodySkipper, findHeadEnd, leadingEmptyLines, parseHead, type RequestHead } from './request-parser.js';

function head(text: string): RequestHead | null {
  const buf = Buffer.from(text, 'latin1');
  const end = findHeadEnd(buf, 0);
  return end < 0 ? null : parseHead(buf, 0, end);
}

t.test('request line, keep-alive rules, forwarded headers', async (t) => {
  t.match(head('GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n'), { method: 'GET', url: '/a?b=1', keepAlive: true, contentLength: -1, chunked: false });
  t.match(head('GET / HTTP/1.1\r\nConnection: Close\r\n\r\n'), { keepAlive: false });
  t.match(head('GET / HTTP/1.1\r\nConnection: upgrade, close\r\n\r\n'), { keepAlive: false });
  t.match(head('GET / HTTP/1.0\r\n\r\n'), { keepAlive: false });
  t.match(head('GET / HTTP/1.0\r\nconnection: keep-alive\r\n\r\n'), { keepAlive: true });
  t.match(head('GET / HTTP/1.1\r\nx-forwarded-for: 1.1.1.1\r\nX-FORWARDED-FOR: 2.2.2.2\r\nX-Real-IP:  3.3.3.3 \r\n\r\n'),
    { xForwardedFor: '1.1.1.1, 2.2.2.2', xRealIp: '3.3.3.3' });
  t.match(head('GET / HTTP/1.1\r\nX-Other-Header-1: 1\r\n\r\n'), { xForwardedFor: '', xRealIp: '' }, 'a name of the same length is not mistaken');
  t.match(head('POST / HTTP/1.1\r\nContent-Length: 12\r\nExpect: 100-continue\r\n\r\n'), { contentLength: 12, expectContinue: true });
  t.match(head('POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n'), { chunked: true });
});

t.test('requests a backend refuses', async (t) => {
  for (const bad of [
    'GET /\r\n\r\n', 'GET / HTTP/2.0\r\n\r\n', 'NONSENSE\r\n\r\n', 'GET / HTTP/1.1\r\nno colon here\r\n\r\n',
    'GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n', 'GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n',
    'GET / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n', 'GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n',
  ]) t.equal(head(bad), null, JSON.stringify(bad));
});

t.test('empty lines before a request are skipped; an incomplete head waits', async (t) => {
  t.equal(leadingEmptyLines(Buffer.from('\r\n\r\nGET'), 0), 4);
  t.equal(findHeadEnd(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n'), 0), -1);
});

t.test('bodies are skipped however they are split across reads', async (t) => {
  const chunked = Buffer.from('5\r\nhello\r\n10;ext=1\r\n0123456789abcdef\r\n0\r\nTrailer: x\r\n\r\nNEXT');
  for (let split = 1; split < chunked.length - 4; split++) {
    const s = new BodySkipper();
    s.start({ chunked: true, contentLength: -1 } as RequestHead);
    const a = s.feed(chunked.subarray(0, split), 0);
    const b = s.feed(chunked, split);
    t.equal(a + b, chunked.length - 4, `split at ${split}`);
    if (!s.done) break;
  }
  const cl = new BodySkipper();
  cl.start({ chunked: false, contentLength: 5 } as RequestHead);
  t.equal(cl.feed(Buffer.from('abc'), 0), 3);
  t.equal(cl.done, false);
  t.equal(cl.feed(Buffer.from('deNEXT'), 0), 2);
  t.equal(cl.done, true);
  const broken = new BodySkipper();
  broken.start({ chunked: true, contentLength: -1 } as RequestHead);
  t.equal(broken.feed(Buffer.from('zz\r\n'), 0), -1);
});

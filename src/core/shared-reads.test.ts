/**
 * A server whose accepted sockets read into the shared buffer still gives its users node:net
 * sockets that behave as before: each `data` chunk is the listener's own (not overwritten by the
 * next read), writes, addresses, pause/resume and half-close work, and the server's connection
 * count follows the sockets, so that server.close() completes once the clients are gone.
 */
import t from 'tap';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { acceptWithSharedReads, keep, readDirect } from './shared-reads.js';

async function listening(onSocket: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onSocket);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as { port: number }).port };
}

t.test('accepted sockets read into the shared buffer and still own their chunks', async (t) => {
  const chunks: Buffer[] = [];
  let served: Socket | null = null;
  const { server, port } = await listening((socket) => {
    served = socket;
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      socket.write(c);
    });
  });
  t.equal(acceptWithSharedReads(server), true, 'the listening handle took the new connection callback');
  const client = connect({ host: '127.0.0.1', port, noDelay: true });
  await once(client, 'connect');
  let echoed = '';
  const want = (n: number) => new Promise<void>((resolve) => {
    const on = (d: Buffer) => { echoed += d.toString('latin1'); if (echoed.length >= n) { client.off('data', on); resolve(); } };
    client.on('data', on);
  });
  client.write('first');
  await want(5);
  client.write('second!');
  await want(12);
  t.equal(echoed, 'firstsecond!', 'what was read went back out');
  t.same(chunks.map((c) => c.toString('latin1')), ['first', 'second!'], 'each chunk kept its bytes after the next read');
  t.equal(served!.remoteAddress, '127.0.0.1', 'addresses come from the handle');
  t.equal((served as unknown as { server: unknown }).server, server, 'the socket knows its server');
  const count = await new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
  t.equal(count, 1, 'the server counts the connection once');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  client.end();
  await once(served!, 'close');
  await closed;
  t.pass('server.close() completed once the connection was gone');
});

t.test('a paused socket stops reading and gets everything once resumed; the end comes after', async (t) => {
  let served: Socket | null = null;
  const arrived = new Promise<Socket>((resolve) => {
    void listening((socket) => { served = socket; socket.pause(); resolve(socket); }).then(({ server, port }) => {
      acceptWithSharedReads(server);
      const client = connect({ host: '127.0.0.1', port });
      client.on('connect', () => client.end('abc'));
      t.teardown(() => { client.destroy(); server.close(); });
    });
  });
  const socket = await arrived;
  t.equal(socket.isPaused(), true);
  let got = '';
  socket.on('data', (c: Buffer) => { got += c.toString('latin1'); });
  socket.resume();
  await once(socket, 'end');
  t.equal(got, 'abc', 'all the bytes, then the end');
  t.equal(served, socket);
});

t.test('a failed accept is the server\'s error event, as node reports it', async (t) => {
  const { server } = await listening(() => undefined);
  t.teardown(() => server.close());
  acceptWithSharedReads(server);
  const failed = once(server, 'error');
  // what libuv hands the connection callback when accept() fails with EMFILE
  const handle = (server as unknown as { _handle: { onconnection: (err: number, h?: object) => void } })._handle;
  handle.onconnection(-24);
  const [e] = (await failed) as [NodeJS.ErrnoException];
  t.same([e.code, e.syscall, e.errno], ['EMFILE', 'accept', -24]);
});

t.test('a server that is not listening is left as it is', async (t) => {
  t.equal(acceptWithSharedReads(createServer()), false);
});

t.test('readDirect() hands each read to its reader, with or without the shared buffer', async (t) => {
  for (const shared of [true, false]) {
    const chunks: Buffer[] = [];
    const lent: Buffer[] = [];
    let emitted = 0;
    let served: Socket | null = null;
    const { server, port } = await listening((socket) => {
      served = socket;
      socket.on('data', () => { emitted++; });
      readDirect(socket, (data, len) => {
        lent.push(data);
        const c = keep(data, 0, len);
        chunks.push(c);
        socket.write(c);
      });
    });
    if (shared) t.equal(acceptWithSharedReads(server), true);
    const client = connect({ host: '127.0.0.1', port, noDelay: true });
    let echoed = '';
    const echo = (n: number) => new Promise<void>((resolve) => {
      const on = (d: Buffer) => { echoed += d.toString('latin1'); if (echoed.length >= n) { client.off('data', on); resolve(); } };
      client.on('data', on);
    });
    await once(client, 'connect');
    client.write('one');
    await echo(3);
    client.write('two!');
    await echo(7);
    const label = shared ? 'shared buffer' : 'node\'s own reads';
    t.same(chunks.map((c) => c.toString('latin1')), ['one', 'two!'], `${label}: each read's bytes, kept by the reader`);
    if (shared) t.equal(lent[0], lent[1], 'both reads lent the one shared buffer (a reader copies what it keeps)');
    else t.not(lent[0], lent[1], 'node\'s own chunks are distinct buffers');
    t.equal(emitted, shared ? 0 : 2, shared ? 'no data event: the reader was called directly' : 'delivered through data events');
    client.destroy();
    await once(served!, 'close');
    server.close();
  }
});

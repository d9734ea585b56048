/**
 * Accepted sockets taken over to read into the shared buffer still behave as node:net sockets to
 * their users: each `data` chunk is the listener's own (not overwritten by the next read), writes
 * and addresses work, and the server's connection count follows the new socket, so that
 * server.close() completes once the client is gone.
 */
import t from 'tap';
import { connect, createServer, type Socket } from 'node:net';
import { once } from 'node:events';
import { sharedReads } from './shared-reads.js';

t.test('an accepted socket reads into the shared buffer and still owns its chunks', async (t) => {
  const chunks: Buffer[] = [];
  let served: Socket | null = null;
  const server = createServer({ pauseOnConnect: true }, (accepted) => {
    const socket = sharedReads(accepted);
    served = socket;
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      socket.write(c);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
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
  t.same(chunks.map((c) => c.toString('latin1')).join(''), 'firstsecond!', 'each chunk kept its bytes after the next read');
  t.equal(served!.remoteAddress, '127.0.0.1', 'addresses come from the handle');
  const count = await new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
  t.equal(count, 1, 'the server counts the connection once');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  client.end();
  await once(served!, 'close');
  await closed;
  t.pass('server.close() completed once the connection was gone');
});

t.test('a socket already destroyed when taken over is returned as it was', async (t) => {
  const server = createServer({ pauseOnConnect: true }, (accepted) => {
    accepted.destroy();
    t.equal(sharedReads(accepted), accepted);
    server.close();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = connect({ host: '127.0.0.1', port: (server.address() as { port: number }).port });
  client.on('error', () => undefined);
  await once(server, 'close');
  client.destroy();
});

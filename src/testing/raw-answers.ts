/**
 * One raw request on its own connection (`Connection: close`), the whole answer back as text,
 * reduced to what nginx and lbtest must share: Date's value and the Server product set aside,
 * and a page of nginx's own (it names its server) replaced by `(page)`, its length too.
 */
import { connect } from 'node:net';

export function rawAnswer(port: number, line: string, body = ''): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => s.write(`${line}\r\nHost: site.example\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
    let buf = '';
    s.on('data', (d: Buffer) => { buf += d.toString('latin1'); });
    s.on('error', () => undefined);
    s.on('close', () => {
      const end = buf.indexOf('\r\n\r\n');
      let head = buf.slice(0, end).replace(/\r\nDate: [^\r]*/, '\r\nDate: (date)').replace(/\r\nServer: [^\r]*/, '\r\nServer: (server)');
      let rest = buf.slice(end + 4);
      if (rest.includes('<hr><center>')) {
        head = head.replace(/\r\nContent-Length: \d+/, '\r\nContent-Length: (page)');
        rest = '(page)';
      }
      resolve(`${head}\r\n\r\n${rest}`);
    });
  });
}

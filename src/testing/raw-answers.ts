/**
 * One raw request on its own connection (`Connection: close`), the whole answer back as text,
 * reduced to what nginx and lbtest must share: Date's value and the Server product set aside,
 * and a page of nginx's own (it names its server) replaced by `(page)`, its length too; and the
 * same requests through nginx and lbtest in turn (answersOfBoth), with their error logs reduced
 * to what both must share (errorLines); and a raw keep-alive backend (headBackend).
 */
import { connect, createServer, type Server } from 'node:net';
import { startLbtest, startNginx } from './balancers.js';

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

/** What nginx and lbtest answered to the same raw requests, under the same configuration. */
export interface AnswersOfBoth {
  /** By request name: [nginx's answer, lbtest's], each reduced by rawAnswer(). */
  readonly answers: Map<string, [string, string]>;
  /** Each balancer's whole error log: [nginx's, lbtest's]. */
  readonly logs: [string, string];
}

/**
 * Runs nginx, then lbtest, with `conf` (listening on `port`), sends each named request line on
 * its own connection (a POST carries `a=1`), and keeps the answers and the error logs.
 */
export async function answersOfBoth(nginx: string, conf: string, port: number, requests: readonly (readonly [string, string])[]): Promise<AnswersOfBoth> {
  const answers = new Map<string, [string, string]>();
  const logs: string[] = [];
  for (const kind of ['nginx', 'lbtest'] as const) {
    const bal = kind === 'nginx' ? await startNginx(nginx, conf) : await startLbtest(conf);
    for (const [name, line] of requests) {
      const answer = await rawAnswer(port, line, line.startsWith('POST') ? 'a=1' : '');
      const pair = answers.get(name) ?? (answers.set(name, ['', '']).get(name)!);
      pair[kind === 'nginx' ? 0 : 1] = answer;
    }
    logs.push(bal.errorLog());
    await bal.stop();
  }
  return { answers, logs: [logs[0]!, logs[1]!] };
}

/**
 * A log's error-level lines and worse (`[error]`, `[crit]`, `[alert]`), each as `[LEVEL] *N
 * message` without time and pid (the connection number stays: both count client and upstream
 * connections alike), those `keep` accepts, one per line.
 */
export function errorLines(log: string, keep: (line: string) => boolean = () => true): string {
  return log.split('\n')
    .filter((l) => / \[(error|crit|alert)\] /.test(l))
    .map((l) => l.replace(/^.*?\[(\w+)\] \S+ (\*\d+ )/, '[$1] $2'))
    .filter(keep)
    .join('\n');
}

/**
 * A keep-alive backend on 127.0.0.1 (an ephemeral port) that reads request heads (no bodies) and
 * writes, for each, the raw answer `answer` gives for its method and target.
 */
export function headBackend(answer: (method: string, target: string) => string): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => {
    let buf = '';
    s.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      for (let end = buf.indexOf('\r\n\r\n'); end >= 0; end = buf.indexOf('\r\n\r\n')) {
        const [method = '', target = ''] = buf.slice(0, buf.indexOf('\r\n')).split(' ');
        buf = buf.slice(end + 4);
        s.write(answer(method, target));
      }
    });
    s.on('error', () => undefined);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

import t from 'tap';
import { PassThrough } from 'node:stream';
import { main } from './cli.js';
import { EXIT } from './exit-codes.js';

function capture() {
  const out = new PassThrough(); const err = new PassThrough();
  let o = ''; let e = '';
  out.on('data', (c: Buffer) => { o += c.toString(); });
  err.on('data', (c: Buffer) => { e += c.toString(); });
  return { io: { stdout: out, stderr: err, cwd: process.cwd() }, text: () => ({ out: o, err: e }) };
}

t.test('an unknown command is a usage error that lists the commands', async (t) => {
  const c = capture();
  t.equal(await main(['frobnicate'], c.io), EXIT.usage);
  t.match(c.text().err, /unknown command "frobnicate"/);
  t.match(c.text().err, /commands:/);
});

t.test('--help prints usage and succeeds', async (t) => {
  const c = capture();
  t.equal(await main(['--help'], c.io), EXIT.ok);
  t.match(c.text().out, /usage: lbtest/);
});

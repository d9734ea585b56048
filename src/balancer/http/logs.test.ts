/**
 * A log file keeps its lines in order whichever way they are written: access lines are on disk at
 * the end of the loop turn that wrote them, an error line (and what was held before it) at once,
 * everything at close(); a file that cannot be written reports it once and takes nothing more.
 */
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { LogFile } from './logs.js';

const dir = mkdtempSync(join(tmpdir(), 'lbtest-logs-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test('held lines go out at the end of the turn, an error line at once, in order', async (t) => {
  const path = join(dir, 'a.log');
  const errors: Error[] = [];
  const f = new LogFile(path, (e) => errors.push(e));
  f.write('one\n');
  f.write('two\n');
  t.equal(readFileSync(path, 'utf8'), '', 'held during the turn');
  await new Promise((r) => setImmediate(r));
  t.equal(readFileSync(path, 'utf8'), 'one\ntwo\n', 'written when the turn is over');
  f.write('three\n');
  f.writeNow('[error] four\n');
  t.equal(readFileSync(path, 'utf8'), 'one\ntwo\nthree\n[error] four\n', 'an error line and what was held before it, at once');
  f.write('five\n');
  const finished = once(f, 'finish');
  f.close();
  t.equal(readFileSync(path, 'utf8'), 'one\ntwo\nthree\n[error] four\nfive\n', 'close() writes the rest');
  await finished;
  t.same(errors, [], 'no error');
});

t.test('a file that cannot be written says so once and takes nothing more', { skip: existsSync('/dev/full') ? false : 'no /dev/full here' }, async (t) => {
  const errors: Error[] = [];
  // every write to /dev/full fails with ENOSPC, as on a full disk
  const f = new LogFile('/dev/full', (e) => errors.push(e));
  f.writeNow('[error] one\n');
  t.equal(errors.length, 1, 'the failed write is reported');
  t.match(errors[0], { code: 'ENOSPC' });
  t.equal(f.write('two\n'), false, 'later lines are refused');
  f.writeNow('[error] three\n');
  f.close();
  t.equal(errors.length, 1, 'and not reported again');
});

/** Case-insensitive header-name sets: exact names by length, prefixes, no false friends. */
import t from 'tap';
import { HeaderNames } from './header-names.js';

t.test('names match whatever their case; prefixes match what starts with them', async (t) => {
  const s = new HeaderNames(['Connection', 'keep-alive', 'DATE', 'connection'], ['x-accel-']);
  const yes = ['connection', 'CONNECTION', 'Connection', 'Keep-Alive', 'date', 'Date', 'X-Accel-Redirect', 'x-accel-'];
  const no = ['Connectio', 'Connections', 'keepalive', 'dat', 'dates', 'x-acce', 'X-Accel', 'Content-Length', '', 'ÄATE'];
  t.same(yes.filter((n) => !s.has(n)), []);
  t.same(no.filter((n) => s.has(n)), []);
  t.notOk(new HeaderNames([]).has('anything'));
});

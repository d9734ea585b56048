import t from 'tap';
import { Lexer, LexError, type Statement } from './lexer.js';

function statements(text: string): Statement[] {
  const lx = new Lexer(text);
  const out: Statement[] = [];
  for (;;) { const s = lx.next(); out.push(s); if (s.end === 'eof') return out; }
}
const words = (text: string): string[][] => statements(text).filter((s) => s.words.length).map((s) => s.words.map((w) => w.value));

t.test('escapes are stored as nginx stores them', async (t) => {
  t.same(words(`a 'it\\'s';`), [['a', "it's"]]);
  t.same(words('a "tab\\there";'), [['a', 'tab\there']]);
  t.same(words('a un\\ quoted\\;semi;'), [['a', 'un\\ quoted\\;semi']], 'other escapes keep their backslash');
  t.same(words('a "x\\\\y";'), [['a', 'x\\y']]);
});

t.test('comments only where a word could start', async (t) => {
  t.same(words('return 200 a#b; # trailing\n'), [['return', '200', 'a#b']]);
  t.same(words('# whole line\nx;'), [['x']]);
});

t.test('variables: ${ does not open a block; } inside a word is literal', async (t) => {
  t.same(words('return 200 ${uri}x;'), [['return', '200', '${uri}x']]);
  t.same(words('server a}b;'), [['server', 'a}b']]);
});

t.test('quoted words may span lines and hold ; { } #', async (t) => {
  const s = statements('a "x;\n{ } #";');
  t.same(s[0]!.words.map((w) => w.value), ['a', 'x;\n{ } #']);
  t.equal(s[0]!.endLine, 2);
  t.equal(s[0]!.words[1]!.quoted, true);
});

t.test('terminators and their lines', async (t) => {
  const s = statements('http {\n  listen 1\n  ;\n}\n');
  t.same(s.map((x) => x.end), ['{', ';', '}', 'eof']);
  t.same(s.map((x) => x.endLine), [1, 3, 4, 5]);
});

t.test('errors in nginx words at nginx lines', async (t) => {
  const cases: Array<[string, string, number]> = [
    ['a "abc"def;', 'unexpected "d"', 1],
    ['x { ; }', 'unexpected ";"', 1],
    ['a b }', 'unexpected "}"', 1],
    ['a b', 'unexpected end of file, expecting ";" or "}"', 1],
    ['a "b;\n\n', 'unexpected end of file, expecting ";" or "}"', 3],
    [`a ${'x'.repeat(5000)};`, 'too long parameter "xxxxxxxxxx..." started', 1],
    [`a\n"${'x'.repeat(5000)};`, 'too long parameter, probably missing terminating """ character', 2],
  ];
  for (const [text, message, line] of cases) {
    const err = t.throws(() => statements(text)) as unknown;
    t.ok(err instanceof LexError, text.slice(0, 20));
    t.match(err, { message, line }, text.slice(0, 20));
  }
});

t.test('CRLF files read as LF files', async (t) => {
  t.same(words('a b;\r\nc d;\r\n'), [['a', 'b'], ['c', 'd']]);
});

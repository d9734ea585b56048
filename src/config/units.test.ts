import t from 'tap';
import { parseInteger, parseSize, parseTime } from './units.js';

t.test('times with nginx units, most significant first; bare numbers are seconds', async (t) => {
  const cases: Array<[string, number | null]> = [
    ['30', 30_000], ['10s', 10_000], ['1m30s', 90_000], ['1h 30m', 5_400_000], ['500ms', 500],
    ['2d', 172_800_000], ['1w', 604_800_000], ['1M', 2_592_000_000], ['0', 0],
    ['5x', null], ['', null], ['30s1m', null], ['1s 5', null], ['-1', null], ['1.5s', null],
  ];
  for (const [text, ms] of cases) t.equal(parseTime(text), ms, JSON.stringify(text));
});

t.test('second-resolution values reject ms', async (t) => {
  t.equal(parseTime('500ms', true), null);
  t.equal(parseTime('10s', true), 10_000);
});

t.test('sizes', async (t) => {
  t.equal(parseSize('32k'), 32 * 1024);
  t.equal(parseSize('1M'), 1 << 20);
  t.equal(parseSize('100'), 100);
  t.equal(parseSize('1g'), null, 'g only for offsets');
  t.equal(parseSize('1g', true), 1 << 30);
  t.equal(parseSize('12kb'), null);
});

t.test('integers as ngx_atoi', async (t) => {
  t.equal(parseInteger('12'), 12);
  t.equal(parseInteger('-1'), null);
  t.equal(parseInteger('x'), null);
  t.equal(parseInteger(''), null);
});

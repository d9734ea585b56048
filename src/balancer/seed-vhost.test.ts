/**
 * The seed's example under `lbtest serve`: one front server balancing two local static sites;
 * requests to the front alternate between load-balance1 and load-balance2 ("交替显示").
 */
import t from 'tap';
import { readFileSync } from 'node:fs';
import { freePort, startLbtest } from '../testing/balancers.js';
import { repoPath } from '../testing/fixtures.js';
import { send } from '../testing/requests.js';

t.test('the front alternates between the two static sites', async (t) => {
  const ports = { front: await freePort(), site1: await freePort(), site2: await freePort() };
  const config = readFileSync(repoPath('src/balancer/fixtures/seed-vhost.conf'), 'utf8')
    .replace(/\{\{(front|site1|site2)\}\}/g, (_m, k: keyof typeof ports) => String(ports[k]))
    .replaceAll('{{sites}}', repoPath('backends/sites'));
  const lb = await startLbtest(config);
  t.teardown(() => lb.stop());
  const titles: string[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await send(ports.front, { headers: { Host: 'load-balance.com' } });
    t.equal(r.status, 200);
    titles.push(/<title>(.*)<\/title>/.exec(r.body)?.[1] ?? '?');
  }
  t.same(titles, ['load-balance1', 'load-balance2', 'load-balance1', 'load-balance2', 'load-balance1', 'load-balance2']);
  const direct = await send(ports.site2, { path: '/' });
  t.match(direct.body, /load-balance2\.com/, 'the sites answer directly too');
});

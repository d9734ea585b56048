/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`dist/report/terminal.test.js > TAP > died: plain > must match snapshot 1`] = `
failover to a backup and back  (/srv/lbtest/suites/failover.yaml, target bundled http://127.0.0.1:<port>)

phase 1: a dies and comes back  4697 requests in 3.00 s (1564/s), p50 2.71 ms, p99 6.83 ms
  actions: kill a at 1003 ms, revive a at 2003 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬─────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50     │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ a       │ 50.0%    │ 31.8%    │ 1492     │ 1492     │ 0      │ 1          │ 778 µs  │ 4.50 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ b       │ 50.0%    │ 68.2%    │ 3204     │ 3204     │ 0      │ 4          │ 2.95 ms │ 7.24 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ backup  │ 0.0%     │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -       │ -       │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴─────────┴─────────┘
  FAIL distribution: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
       a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed.  (/srv/lbtest/suites/failover.yaml:20:21, phases[0].expect.distribution)
       total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 e… (172 characters)
  FAIL status 5xx: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
       1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1).  (/srv/lbtest/suites/failover.yaml:21:17, phases[0].expect.status.5xx)
       count=1 requests=4697
  PASS never backup: expected backup: 0; observed backup: 0
       total=4696 observed.backup=0
  PASS recovery of a: expected a request reaches a within 2.00s of its revival; observed after 415ms
       recoveryMs=415 withinMs=2000

ERROR: 2 verdicts held, 2 failed (4.2 s)
error: the bundled target died (SIGKILL) during phase "both die"
lbtest: [notice] listening on 127.0.0.1:<port>

`

exports[`dist/report/terminal.test.js > TAP > failover: plain > must match snapshot 1`] = `
failover to a backup and back  (/srv/lbtest/suites/failover.yaml, target bundled http://127.0.0.1:<port>)

phase 1: a dies and comes back  4697 requests in 3.00 s (1564/s), p50 2.71 ms, p99 6.83 ms
  actions: kill a at 1003 ms, revive a at 2003 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬─────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50     │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ a       │ 50.0%    │ 31.8%    │ 1492     │ 1492     │ 0      │ 1          │ 778 µs  │ 4.50 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ b       │ 50.0%    │ 68.2%    │ 3204     │ 3204     │ 0      │ 4          │ 2.95 ms │ 7.24 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ backup  │ 0.0%     │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -       │ -       │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴─────────┴─────────┘
  FAIL distribution: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
       a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed.  (/srv/lbtest/suites/failover.yaml:20:21, phases[0].expect.distribution)
       total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 e… (172 characters)
  FAIL status 5xx: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
       1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1).  (/srv/lbtest/suites/failover.yaml:21:17, phases[0].expect.status.5xx)
       count=1 requests=4697
  PASS never backup: expected backup: 0; observed backup: 0
       total=4696 observed.backup=0
  PASS recovery of a: expected a request reaches a within 2.00s of its revival; observed after 415ms
       recoveryMs=415 withinMs=2000

phase 2: both die  3717 requests in 1.00 s (3716/s), p50 420 µs, p99 2.58 ms
  actions: kill a at -1 ms, kill b at 0 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50    │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ a       │ -        │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -      │ -       │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ b       │ -        │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -      │ -       │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ backup  │ -        │ 100.0%   │ 3715     │ 3715     │ 0      │ 1          │ 420 µs │ 2.58 ms │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴────────┴─────────┘
  PASS share of backup: expected at least 99%; observed 100% (3715 of 3715)
       total=3715 count=3715 share=1
  FAIL p99 latency: expected < 1ms; observed 2.58ms
       p99 latency was 2.58ms over 3717 responses; expected under 1ms.  (/srv/lbtest/suites/failover.yaml:29:18, phases[1].expect.latency.p99)
       latencyUs=2582 limitUs=1000 responses=3717

FAILED: 3 verdicts held, 3 failed (4.2 s)

`

exports[`dist/report/terminal.test.js > TAP > in colour: the same text with SGR codes around marks and headings > must match snapshot 1`] = `
[1mfailover to a backup and back[0m  (/srv/lbtest/suites/failover.yaml, target bundled http://127.0.0.1:<port>)

[1mphase 1: a dies and comes back[0m  4697 requests in 3.00 s (1564/s), p50 2.71 ms, p99 6.83 ms
  actions: kill a at 1003 ms, revive a at 2003 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬─────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50     │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ a       │ 50.0%    │ 31.8%    │ 1492     │ 1492     │ 0      │ 1          │ 778 µs  │ 4.50 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ b       │ 50.0%    │ 68.2%    │ 3204     │ 3204     │ 0      │ 4          │ 2.95 ms │ 7.24 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ backup  │ 0.0%     │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -       │ -       │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴─────────┴─────────┘
  [31mFAIL[0m distribution: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
       a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed.  (/srv/lbtest/suites/failover.yaml:20:21, phases[0].expect.distribution)
[2m       total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 e… (172 characters)[0m
  [31mFAIL[0m status 5xx: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
       1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1).  (/srv/lbtest/suites/failover.yaml:21:17, phases[0].expect.status.5xx)
[2m       count=1 requests=4697[0m
  [32mPASS[0m never backup: expected backup: 0; observed backup: 0
[2m       total=4696 observed.backup=0[0m
  [32mPASS[0m recovery of a: expected a request reaches a within 2.00s of its revival; observed after 415ms
[2m       recoveryMs=415 withinMs=2000[0m

[1mphase 2: both die[0m  3717 requests in 1.00 s (3716/s), p50 420 µs, p99 2.58 ms
  actions: kill a at -1 ms, kill b at 0 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50    │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ a       │ -        │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -      │ -       │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ b       │ -        │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -      │ -       │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ backup  │ -        │ 100.0%   │ 3715     │ 3715     │ 0      │ 1          │ 420 µs │ 2.58 ms │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴────────┴─────────┘
  [32mPASS[0m share of backup: expected at least 99%; observed 100% (3715 of 3715)
[2m       total=3715 count=3715 share=1[0m
  [31mFAIL[0m p99 latency: expected < 1ms; observed 2.58ms
       p99 latency was 2.58ms over 3717 responses; expected under 1ms.  (/srv/lbtest/suites/failover.yaml:29:18, phases[1].expect.latency.p99)
[2m       latencyUs=2582 limitUs=1000 responses=3717[0m

[31mFAILED[0m: 3 verdicts held, 3 failed (4.2 s)

`

exports[`dist/report/terminal.test.js > TAP > interrupted: plain > must match snapshot 1`] = `
failover to a backup and back  (/srv/lbtest/suites/failover.yaml, target bundled http://127.0.0.1:<port>)

phase 1: a dies and comes back  4697 requests in 3.00 s (1564/s), p50 2.71 ms, p99 6.83 ms
  actions: kill a at 1003 ms, revive a at 2003 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬─────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50     │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ a       │ 50.0%    │ 31.8%    │ 1492     │ 1492     │ 0      │ 1          │ 778 µs  │ 4.50 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ b       │ 50.0%    │ 68.2%    │ 3204     │ 3204     │ 0      │ 4          │ 2.95 ms │ 7.24 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ backup  │ 0.0%     │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -       │ -       │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴─────────┴─────────┘
  FAIL distribution: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
       a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed.  (/srv/lbtest/suites/failover.yaml:20:21, phases[0].expect.distribution)
       total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 e… (172 characters)
  FAIL status 5xx: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
       1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1).  (/srv/lbtest/suites/failover.yaml:21:17, phases[0].expect.status.5xx)
       count=1 requests=4697
  PASS never backup: expected backup: 0; observed backup: 0
       total=4696 observed.backup=0
  PASS recovery of a: expected a request reaches a within 2.00s of its revival; observed after 415ms
       recoveryMs=415 withinMs=2000

phase 2: both die  3717 requests in 1.00 s (3716/s), p50 420 µs, p99 2.58 ms
  actions: kill a at -1 ms, kill b at 0 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50    │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ a       │ -        │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -      │ -       │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ b       │ -        │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -      │ -       │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ backup  │ -        │ 100.0%   │ 3715     │ 3715     │ 0      │ 1          │ 420 µs │ 2.58 ms │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴────────┴─────────┘
  note: interrupted: the phase did not finish, so no verdict was given

INTERRUPTED: 2 verdicts held, 2 failed (3.6 s)

`

exports[`dist/report/terminal.test.js > TAP > legacy: plain > must match snapshot 1`] = `
failover to a backup and back  (/srv/lbtest/suites/failover.yaml, target bundled http://127.0.0.1:<port>)

phase 1: a dies and comes back  4697 requests in 3.00 s (1564/s), p50 2.71 ms, p99 6.83 ms
  actions: kill a at 1003 ms, revive a at 2003 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬─────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50     │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ a       │ 50.0%    │ 31.8%    │ 1492     │ 1492     │ -      │ 1          │ 778 µs  │ 4.50 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ b       │ 50.0%    │ 68.2%    │ 3204     │ 3204     │ -      │ 4          │ 2.95 ms │ 7.24 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ backup  │ 0.0%     │ 0.0%     │ 0        │ 0        │ -      │ 0          │ -       │ -       │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴─────────┴─────────┘
  FAIL distribution: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
       a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed.  (/srv/lbtest/suites/failover.yaml:20:21, phases[0].expect.distribution)
       total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 e… (172 characters)
  FAIL status 5xx: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
       1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1).  (/srv/lbtest/suites/failover.yaml:21:17, phases[0].expect.status.5xx)
       count=1 requests=4697
  PASS never backup: expected backup: 0; observed backup: 0
       total=4696 observed.backup=0
  PASS recovery of a: expected a request reaches a within 2.00s of its revival; observed after 415ms
       recoveryMs=415 withinMs=2000

phase 2: both die  3717 requests in 1.00 s (3716/s), p50 420 µs, p99 2.58 ms
  actions: kill a at -1 ms, kill b at 0 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50    │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ a       │ -        │ 0.0%     │ 0        │ 0        │ -      │ 0          │ -      │ -       │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ b       │ -        │ 0.0%     │ 0        │ 0        │ -      │ 0          │ -      │ -       │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ backup  │ -        │ 100.0%   │ 3715     │ 3715     │ -      │ 1          │ 420 µs │ 2.58 ms │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴────────┴─────────┘
  PASS share of backup: expected at least 99%; observed 100% (3715 of 3715)
       total=3715 count=3715 share=1
  FAIL p99 latency: expected < 1ms; observed 2.58ms
       p99 latency was 2.58ms over 3717 responses; expected under 1ms.  (/srv/lbtest/suites/failover.yaml:29:18, phases[1].expect.latency.p99)
       latencyUs=2582 limitUs=1000 responses=3717

FAILED: 3 verdicts held, 3 failed (4.2 s)

`

exports[`dist/report/terminal.test.js > TAP > phase-skipped: plain > must match snapshot 1`] = `
failover to a backup and back  (/srv/lbtest/suites/failover.yaml, target nginx http://127.0.0.1:<port>)

phase 1: a dies and comes back  4697 requests in 3.00 s (1564/s), p50 2.71 ms, p99 6.83 ms
  actions: kill a at 1003 ms, revive a at 2003 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬─────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50     │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ a       │ 50.0%    │ 31.8%    │ 1492     │ 1492     │ 0      │ 1          │ 778 µs  │ 4.50 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ b       │ 50.0%    │ 68.2%    │ 3204     │ 3204     │ 0      │ 4          │ 2.95 ms │ 7.24 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ backup  │ 0.0%     │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -       │ -       │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴─────────┴─────────┘
  FAIL distribution: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
       a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed.  (/srv/lbtest/suites/failover.yaml:20:21, phases[0].expect.distribution)
       total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 e… (172 characters)
  FAIL status 5xx: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
       1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1).  (/srv/lbtest/suites/failover.yaml:21:17, phases[0].expect.status.5xx)
       count=1 requests=4697
  PASS never backup: expected backup: 0; observed backup: 0
       total=4696 observed.backup=0
  PASS recovery of a: expected a request reaches a within 2.00s of its revival; observed after 415ms
       recoveryMs=415 withinMs=2000

phase 2: both die — skipped: nginx: the backup is not used when every primary is down and max_fails=0

FAILED: 2 verdicts held, 2 failed (4.2 s)

`

exports[`dist/report/terminal.test.js > TAP > skipped-run: plain > must match snapshot 1`] = `
weighted round robin splits 5:1:1; a dead server is skipped and comes back; a failing one is ejected  (/srv/lbtest/suites/weighted.yaml, target url http://127.0.0.1:<port>)

SKIPPED: 0 verdicts held, 0 failed (0.0 s)
reason: the backends would need fixed ports

`

exports[`dist/report/terminal.test.js > TAP > weighted: plain > must match snapshot 1`] = `
weighted round robin splits 5:1:1; a dead server is skipped and comes back; a failing one is ejected  (/srv/lbtest/suites/weighted.yaml, target bundled http://127.0.0.1:<port>)

phase 1: steady  700 requests in 1.13 s (619/s), p50 728 µs, p99 6.64 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬─────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50     │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ a       │ 71.4%    │ 71.4%    │ 500      │ 500      │ 0      │ 1          │ 702 µs  │ 3.53 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ b       │ 14.3%    │ 14.3%    │ 100      │ 100      │ 0      │ 1          │ 702 µs  │ 4.29 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ c       │ 14.3%    │ 14.3%    │ 100      │ 100      │ 0      │ 1          │ 5.83 ms │ 7.55 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ spare   │ 0.0%     │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -       │ -       │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴─────────┴─────────┘
  PASS distribution: expected a 71.4%, b 14.3%, c 14.3% (weights a=5 b=1 c=1; spare is a backup (idle while a primary lives)) = a: 500, b: 100, c: 100, spare: 0 of 700; observed a: 500, b: 100, c: 100, spare: 0 of 700
       total=700 observed.a=500 expected.a=0.714 observed.b=100 expected.b=0.143 observed.c=100 expected.c=0.143 observed.spare=0 expected.spare=0 largestGap=0 slack=1
  PASS sequence: expected a a b a c a a …; observed a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b … (1416 characters)
       requests=700 matched=700 offset=0
  PASS never spare: expected spare: 0; observed spare: 0
       total=700 observed.spare=0
  PASS errors: expected exactly 0; observed 0 of 700
       errors=0 requests=700
  PASS p99 latency: expected < 50ms; observed 6.64ms
       latencyUs=6638 limitUs=50000 responses=700

phase 2: a dies  400 requests in 2.00 s (200/s), p50 5.55 ms, p99 8.69 ms
  actions: kill a at 0 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬─────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50     │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ a       │ 0.0%     │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -       │ -       │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ b       │ 50.0%    │ 50.0%    │ 200      │ 200      │ 0      │ 1          │ 1.62 ms │ 5.25 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ c       │ 50.0%    │ 50.0%    │ 200      │ 200      │ 0      │ 1          │ 6.69 ms │ 9.13 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ spare   │ 0.0%     │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -       │ -       │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴─────────┴─────────┘
  PASS distribution: expected b 50%, c 50% (stated weights b=1 c=1) ±5%; observed b: 200, c: 200 of 400 (50%, 50%); chi-square 0.0, df 1, p = 1.00
       total=400 observed.b=200 expected.b=0.5 observed.c=200 expected.c=0.5 largestDeviation=0 tolerance=0.05 alpha=0.001 chiSquare=0 df=1 pValue=1 effectW=0
  PASS never spare: expected spare: 0; observed spare: 0
       total=400 observed.spare=0
  PASS status 5xx: expected exactly 0; observed 0 of 400 (0%); all: 200: 400
       count=0 requests=400
  PASS throughput: expected at least 150 req/s; observed 200 req/s
       perSec=200 minPerSec=150 responses=400 elapsedMs=2001
  PASS max concurrency at c: expected at most 8 at once; observed 1 at once
       peak=1 max=8

phase 3: a comes back  9431 requests in 5.00 s (1884/s), p50 552 µs, p99 8.13 ms
  actions: revive a at 501 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬─────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50     │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ a       │ -        │ 40.9%    │ 3857     │ 3857     │ 0      │ 1          │ 461 µs  │ 1.95 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ b       │ -        │ 29.6%    │ 2787     │ 2787     │ 0      │ 1          │ 514 µs  │ 4.19 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ c       │ -        │ 29.6%    │ 2787     │ 2787     │ 0      │ 4          │ 5.45 ms │ 9.62 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼─────────┼─────────┤
│ spare   │ -        │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -       │ -       │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴─────────┴─────────┘
  PASS recovery of a: expected a request reaches a within 4.00s of its revival; observed after 2.86s
       recoveryMs=2863 withinMs=4000
  PASS errors: expected exactly 0; observed 0 of 9431
       errors=0 requests=9431
  note: one connection per request (50 bound source addresses)

phase 4: c answers 502 and is ejected  34928 requests in 5.00 s (6985/s), p50 473 µs, p99 2.34 ms
  actions: switch c at 0 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50    │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ a       │ -        │ 83.3%    │ 29107    │ 29107    │ 0      │ 1          │ 473 µs │ 2.33 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ b       │ -        │ 16.7%    │ 5821     │ 5821     │ 0      │ 1          │ 471 µs │ 2.42 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ c       │ -        │ 0.0%     │ 3        │ 0        │ 3      │ 1          │ -      │ -       │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ spare   │ -        │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -      │ -       │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴────────┴─────────┘
  PASS ejection of c: expected at most 5 requests before c is skipped (max_fails=2 + 3 in flight), then at most one probe per fail_timeout=2.00s; observed 2 before it was skipped, then 1 probe window (+2.34s: 1)
       arrivals=3 burst=2 burstLimit=5 probeWindows=1 crowdedWindows=0 maxFails=2 failTimeoutMs=2000
  PASS status 502: expected exactly 0; observed 0 of 34928 (0%); all: 200: 34928
       count=0 requests=34928
  PASS share of c: expected at most 1%; observed 0.01% (3 of 34931)
       total=34931 count=3 share=0.0000859

phase 5: hashed by path  600 requests in 0.25 s (2380/s), p50 363 µs, p99 1.99 ms
  actions: switch c at -6 ms, reload at 0 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50    │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ a       │ 33.3%    │ 33.5%    │ 201      │ 201      │ 0      │ 1          │ 365 µs │ 1.02 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ b       │ 33.3%    │ 33.5%    │ 201      │ 201      │ 0      │ 1          │ 357 µs │ 3.25 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ c       │ 33.3%    │ 33.0%    │ 198      │ 198      │ 0      │ 1          │ 366 µs │ 1.89 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ spare   │ 0.0%     │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -      │ -       │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴────────┴─────────┘
  PASS sticky by path: expected every path answered by one backend; observed 0 paths of 200 answered by more than one backend
       keys=200 repeatedKeys=200 splitKeys=0 requests=600
  PASS distribution: expected a 33.3%, b 33.3%, c 33.3% (stated weights a=1 b=1 c=1) ±15%; observed a: 201, b: 201, c: 198 of 600 (33.5%, 33.5%, 33%)
       total=600 observed.a=201 expected.a=0.333 observed.b=201 expected.b=0.333 observed.c=198 expected.c=0.333 largestDeviation=0.00333 tolerance=0.15 alpha=0 chiSqu… (202 characters)

phase 6: hashed, c gone  600 requests in 0.23 s (2629/s), p50 327 µs, p99 2.16 ms
  actions: kill c at 0 ms
┌─────────┬──────────┬──────────┬──────────┬──────────┬────────┬────────────┬────────┬─────────┐
│ backend │ expected │ observed │ received │ answered │ errors │ peak conc. │ p50    │ p99     │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ a       │ -        │ 50.0%    │ 300      │ 300      │ 0      │ 1          │ 328 µs │ 2.23 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ b       │ -        │ 50.0%    │ 300      │ 300      │ 0      │ 1          │ 324 µs │ 1.53 ms │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ c       │ -        │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -      │ -       │
├─────────┼──────────┼──────────┼──────────┼──────────┼────────┼────────────┼────────┼─────────┤
│ spare   │ -        │ 0.0%     │ 0        │ 0        │ 0      │ 0          │ -      │ -       │
└─────────┴──────────┴──────────┴──────────┴──────────┴────────┴────────────┴────────┴─────────┘
  PASS sticky by path: expected every path answered by one backend; observed 0 paths of 200 answered by more than one backend
       keys=200 repeatedKeys=200 splitKeys=0 requests=600
  PASS paths moved: expected at most 45% of paths moved since "hashed by path"; observed 66 of 200 (33%)
       keys=200 moved=66 share=0.33
  PASS never c: expected c: 0; observed c: 0
       total=600 observed.c=0

PASSED: 20 verdicts held, 0 failed (13.9 s)

`

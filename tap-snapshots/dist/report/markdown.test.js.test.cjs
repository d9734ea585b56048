/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`dist/report/markdown.test.js > TAP > died > must match snapshot 1`] = `
### 💥 failover to a backup and back

**error**: 2 verdicts held, 2 failed · \`failover.yaml\` against bundled · 4.20 s · lbtest 0.1.0

> **error**: the bundled target died (SIGKILL) during phase "both die"

| phase | requests | rate | p50 | p99 | failed requests | verdicts |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
| 1. a dies and comes back | 4697 | 1564/s | 2.71 ms | 6.83 ms | 1 | ❌ 2 of 4 failed |

**Failed verdicts**

- ❌ **phase 1: a dies and comes back — distribution**: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
  <br>a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed. (\`/srv/lbtest/suites/failover.yaml:20:21\`, \`phases[0].expect.distribution\`)
- ❌ **phase 1: a dies and comes back — status 5xx**: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
  <br>1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1). (\`/srv/lbtest/suites/failover.yaml:21:17\`, \`phases[0].expect.status.5xx\`)

<details><summary>Backends and verdicts, phase by phase</summary>

#### phase 1: a dies and comes back

4697 requests in 3.00 s · actions: kill a at 1003 ms, revive a at 2003 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | 50.0% | 31.8% | 1492 | 0 | 778 µs | 4.50 ms |
| b | 50.0% | 68.2% | 3204 | 0 | 2.95 ms | 7.24 ms |
| backup | 0.0% | 0.0% | 0 | 0 | - | - |

- ❌ **distribution**: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
  <br>a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed. (\`/srv/lbtest/suites/failover.yaml:20:21\`, \`phases[0].expect.distribution\`)
  <br><sub>total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 effectW=0.365</sub>
- ❌ **status 5xx**: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
  <br>1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1). (\`/srv/lbtest/suites/failover.yaml:21:17\`, \`phases[0].expect.status.5xx\`)
  <br><sub>count=1 requests=4697</sub>
- ✅ **never backup**: expected backup: 0; observed backup: 0
  <br><sub>total=4696 observed.backup=0</sub>
- ✅ **recovery of a**: expected a request reaches a within 2.00s of its revival; observed after 415ms
  <br><sub>recoveryMs=415 withinMs=2000</sub>

</details>

`

exports[`dist/report/markdown.test.js > TAP > failover > must match snapshot 1`] = `
### ❌ failover to a backup and back

**failed**: 3 verdicts held, 3 failed · \`failover.yaml\` against bundled · 4.20 s · lbtest 0.1.0

| phase | requests | rate | p50 | p99 | failed requests | verdicts |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
| 1. a dies and comes back | 4697 | 1564/s | 2.71 ms | 6.83 ms | 1 | ❌ 2 of 4 failed |
| 2. both die | 3717 | 3716/s | 420 µs | 2.58 ms | 2 | ❌ 1 of 2 failed |

**Failed verdicts**

- ❌ **phase 1: a dies and comes back — distribution**: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
  <br>a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed. (\`/srv/lbtest/suites/failover.yaml:20:21\`, \`phases[0].expect.distribution\`)
- ❌ **phase 1: a dies and comes back — status 5xx**: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
  <br>1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1). (\`/srv/lbtest/suites/failover.yaml:21:17\`, \`phases[0].expect.status.5xx\`)
- ❌ **phase 2: both die — p99 latency**: expected &lt; 1ms; observed 2.58ms
  <br>p99 latency was 2.58ms over 3717 responses; expected under 1ms. (\`/srv/lbtest/suites/failover.yaml:29:18\`, \`phases[1].expect.latency.p99\`)

<details><summary>Backends and verdicts, phase by phase</summary>

#### phase 1: a dies and comes back

4697 requests in 3.00 s · actions: kill a at 1003 ms, revive a at 2003 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | 50.0% | 31.8% | 1492 | 0 | 778 µs | 4.50 ms |
| b | 50.0% | 68.2% | 3204 | 0 | 2.95 ms | 7.24 ms |
| backup | 0.0% | 0.0% | 0 | 0 | - | - |

- ❌ **distribution**: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
  <br>a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed. (\`/srv/lbtest/suites/failover.yaml:20:21\`, \`phases[0].expect.distribution\`)
  <br><sub>total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 effectW=0.365</sub>
- ❌ **status 5xx**: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
  <br>1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1). (\`/srv/lbtest/suites/failover.yaml:21:17\`, \`phases[0].expect.status.5xx\`)
  <br><sub>count=1 requests=4697</sub>
- ✅ **never backup**: expected backup: 0; observed backup: 0
  <br><sub>total=4696 observed.backup=0</sub>
- ✅ **recovery of a**: expected a request reaches a within 2.00s of its revival; observed after 415ms
  <br><sub>recoveryMs=415 withinMs=2000</sub>

#### phase 2: both die

3717 requests in 1.00 s · actions: kill a at -1 ms, kill b at 0 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | - | 0.0% | 0 | 0 | - | - |
| b | - | 0.0% | 0 | 0 | - | - |
| backup | - | 100.0% | 3715 | 0 | 420 µs | 2.58 ms |

- ✅ **share of backup**: expected at least 99%; observed 100% (3715 of 3715)
  <br><sub>total=3715 count=3715 share=1</sub>
- ❌ **p99 latency**: expected &lt; 1ms; observed 2.58ms
  <br>p99 latency was 2.58ms over 3717 responses; expected under 1ms. (\`/srv/lbtest/suites/failover.yaml:29:18\`, \`phases[1].expect.latency.p99\`)
  <br><sub>latencyUs=2582 limitUs=1000 responses=3717</sub>

</details>

`

exports[`dist/report/markdown.test.js > TAP > interrupted > must match snapshot 1`] = `
### ⚠️ failover to a backup and back

**interrupted**: 2 verdicts held, 2 failed · \`failover.yaml\` against bundled · 3.65 s · lbtest 0.1.0

| phase | requests | rate | p50 | p99 | failed requests | verdicts |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
| 1. a dies and comes back | 4697 | 1564/s | 2.71 ms | 6.83 ms | 1 | ❌ 2 of 4 failed |
| 2. both die | 3717 | 3716/s | 420 µs | 2.58 ms | 2 | – |

**Failed verdicts**

- ❌ **phase 1: a dies and comes back — distribution**: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
  <br>a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed. (\`/srv/lbtest/suites/failover.yaml:20:21\`, \`phases[0].expect.distribution\`)
- ❌ **phase 1: a dies and comes back — status 5xx**: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
  <br>1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1). (\`/srv/lbtest/suites/failover.yaml:21:17\`, \`phases[0].expect.status.5xx\`)

<details><summary>Backends and verdicts, phase by phase</summary>

#### phase 1: a dies and comes back

4697 requests in 3.00 s · actions: kill a at 1003 ms, revive a at 2003 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | 50.0% | 31.8% | 1492 | 0 | 778 µs | 4.50 ms |
| b | 50.0% | 68.2% | 3204 | 0 | 2.95 ms | 7.24 ms |
| backup | 0.0% | 0.0% | 0 | 0 | - | - |

- ❌ **distribution**: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
  <br>a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed. (\`/srv/lbtest/suites/failover.yaml:20:21\`, \`phases[0].expect.distribution\`)
  <br><sub>total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 effectW=0.365</sub>
- ❌ **status 5xx**: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
  <br>1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1). (\`/srv/lbtest/suites/failover.yaml:21:17\`, \`phases[0].expect.status.5xx\`)
  <br><sub>count=1 requests=4697</sub>
- ✅ **never backup**: expected backup: 0; observed backup: 0
  <br><sub>total=4696 observed.backup=0</sub>
- ✅ **recovery of a**: expected a request reaches a within 2.00s of its revival; observed after 415ms
  <br><sub>recoveryMs=415 withinMs=2000</sub>

#### phase 2: both die

3717 requests in 1.00 s · actions: kill a at -1 ms, kill b at 0 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | - | 0.0% | 0 | 0 | - | - |
| b | - | 0.0% | 0 | 0 | - | - |
| backup | - | 100.0% | 3715 | 0 | 420 µs | 2.58 ms |

- note: interrupted: the phase did not finish, so no verdict was given

</details>

`

exports[`dist/report/markdown.test.js > TAP > legacy > must match snapshot 1`] = `
### ❌ failover to a backup and back

**failed**: 3 verdicts held, 3 failed · \`failover.yaml\` against bundled · 4.20 s · lbtest 0.1.0

| phase | requests | rate | p50 | p99 | failed requests | verdicts |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
| 1. a dies and comes back | 4697 | 1564/s | 2.71 ms | 6.83 ms | 1 | ❌ 2 of 4 failed |
| 2. both die | 3717 | 3716/s | 420 µs | 2.58 ms | 2 | ❌ 1 of 2 failed |

**Failed verdicts**

- ❌ **phase 1: a dies and comes back — distribution**: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
  <br>a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed. (\`/srv/lbtest/suites/failover.yaml:20:21\`, \`phases[0].expect.distribution\`)
- ❌ **phase 1: a dies and comes back — status 5xx**: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
  <br>1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1). (\`/srv/lbtest/suites/failover.yaml:21:17\`, \`phases[0].expect.status.5xx\`)
- ❌ **phase 2: both die — p99 latency**: expected &lt; 1ms; observed 2.58ms
  <br>p99 latency was 2.58ms over 3717 responses; expected under 1ms. (\`/srv/lbtest/suites/failover.yaml:29:18\`, \`phases[1].expect.latency.p99\`)

<details><summary>Backends and verdicts, phase by phase</summary>

#### phase 1: a dies and comes back

4697 requests in 3.00 s · actions: kill a at 1003 ms, revive a at 2003 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | 50.0% | 31.8% | 1492 | - | 778 µs | 4.50 ms |
| b | 50.0% | 68.2% | 3204 | - | 2.95 ms | 7.24 ms |
| backup | 0.0% | 0.0% | 0 | - | - | - |

- ❌ **distribution**: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
  <br>a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed. (\`/srv/lbtest/suites/failover.yaml:20:21\`, \`phases[0].expect.distribution\`)
  <br><sub>total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 effectW=0.365</sub>
- ❌ **status 5xx**: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
  <br>1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1). (\`/srv/lbtest/suites/failover.yaml:21:17\`, \`phases[0].expect.status.5xx\`)
  <br><sub>count=1 requests=4697</sub>
- ✅ **never backup**: expected backup: 0; observed backup: 0
  <br><sub>total=4696 observed.backup=0</sub>
- ✅ **recovery of a**: expected a request reaches a within 2.00s of its revival; observed after 415ms
  <br><sub>recoveryMs=415 withinMs=2000</sub>

#### phase 2: both die

3717 requests in 1.00 s · actions: kill a at -1 ms, kill b at 0 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | - | 0.0% | 0 | - | - | - |
| b | - | 0.0% | 0 | - | - | - |
| backup | - | 100.0% | 3715 | - | 420 µs | 2.58 ms |

- ✅ **share of backup**: expected at least 99%; observed 100% (3715 of 3715)
  <br><sub>total=3715 count=3715 share=1</sub>
- ❌ **p99 latency**: expected &lt; 1ms; observed 2.58ms
  <br>p99 latency was 2.58ms over 3717 responses; expected under 1ms. (\`/srv/lbtest/suites/failover.yaml:29:18\`, \`phases[1].expect.latency.p99\`)
  <br><sub>latencyUs=2582 limitUs=1000 responses=3717</sub>

</details>

`

exports[`dist/report/markdown.test.js > TAP > phase-skipped > must match snapshot 1`] = `
### ❌ failover to a backup and back

**failed**: 2 verdicts held, 2 failed · \`failover.yaml\` against nginx · 4.20 s · lbtest 0.1.0

| phase | requests | rate | p50 | p99 | failed requests | verdicts |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
| 1. a dies and comes back | 4697 | 1564/s | 2.71 ms | 6.83 ms | 1 | ❌ 2 of 4 failed |
| 2. both die | skipped: nginx: the backup is not used when every primary is down and max\\_fails=0 | | | | | |

**Failed verdicts**

- ❌ **phase 1: a dies and comes back — distribution**: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
  <br>a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed. (\`/srv/lbtest/suites/failover.yaml:20:21\`, \`phases[0].expect.distribution\`)
- ❌ **phase 1: a dies and comes back — status 5xx**: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
  <br>1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1). (\`/srv/lbtest/suites/failover.yaml:21:17\`, \`phases[0].expect.status.5xx\`)

<details><summary>Backends and verdicts, phase by phase</summary>

#### phase 1: a dies and comes back

4697 requests in 3.00 s · actions: kill a at 1003 ms, revive a at 2003 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | 50.0% | 31.8% | 1492 | 0 | 778 µs | 4.50 ms |
| b | 50.0% | 68.2% | 3204 | 0 | 2.95 ms | 7.24 ms |
| backup | 0.0% | 0.0% | 0 | 0 | - | - |

- ❌ **distribution**: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
  <br>a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed. (\`/srv/lbtest/suites/failover.yaml:20:21\`, \`phases[0].expect.distribution\`)
  <br><sub>total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 effectW=0.365</sub>
- ❌ **status 5xx**: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
  <br>1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1). (\`/srv/lbtest/suites/failover.yaml:21:17\`, \`phases[0].expect.status.5xx\`)
  <br><sub>count=1 requests=4697</sub>
- ✅ **never backup**: expected backup: 0; observed backup: 0
  <br><sub>total=4696 observed.backup=0</sub>
- ✅ **recovery of a**: expected a request reaches a within 2.00s of its revival; observed after 415ms
  <br><sub>recoveryMs=415 withinMs=2000</sub>

</details>

`

exports[`dist/report/markdown.test.js > TAP > skipped-run > must match snapshot 1`] = `
### ⏭️ weighted round robin splits 5:1:1; a dead server is skipped and comes back; a failing one is ejected

**skipped**: 0 verdicts held, 0 failed · \`weighted.yaml\` against url · 0.00 s · lbtest 0.1.0

> **reason**: the backends would need fixed ports

`

exports[`dist/report/markdown.test.js > TAP > weighted > must match snapshot 1`] = `
### ✅ weighted round robin splits 5:1:1; a dead server is skipped and comes back; a failing one is ejected

**passed**: 20 verdicts held, 0 failed · \`weighted.yaml\` against bundled · 13.9 s · lbtest 0.1.0

| phase | requests | rate | p50 | p99 | failed requests | verdicts |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
| 1. steady | 700 | 619/s | 728 µs | 6.64 ms | 0 | ✅ 5 |
| 2. a dies | 400 | 200/s | 5.55 ms | 8.69 ms | 0 | ✅ 5 |
| 3. a comes back | 9431 | 1884/s | 552 µs | 8.13 ms | 0 | ✅ 2 |
| 4. c answers 502 and is ejected | 34928 | 6985/s | 473 µs | 2.34 ms | 0 | ✅ 3 |
| 5. hashed by path | 600 | 2380/s | 363 µs | 1.99 ms | 0 | ✅ 2 |
| 6. hashed, c gone | 600 | 2629/s | 327 µs | 2.16 ms | 0 | ✅ 3 |

<details><summary>Backends and verdicts, phase by phase</summary>

#### phase 1: steady

700 requests in 1.13 s

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | 71.4% | 71.4% | 500 | 0 | 702 µs | 3.53 ms |
| b | 14.3% | 14.3% | 100 | 0 | 702 µs | 4.29 ms |
| c | 14.3% | 14.3% | 100 | 0 | 5.83 ms | 7.55 ms |
| spare | 0.0% | 0.0% | 0 | 0 | - | - |

- ✅ **distribution**: expected a 71.4%, b 14.3%, c 14.3% (weights a=5 b=1 c=1; spare is a backup (idle while a primary lives)) = a: 500, b: 100, c: 100, spare: 0 of 700; observed a: 500, b: 100, c: 100, spare: 0 of 700
  <br><sub>total=700 observed.a=500 expected.a=0.714 observed.b=100 expected.b=0.143 observed.c=100 expected.c=0.143 observed.spare=0 expected.spare=0 largestGap=0 slack=1</sub>
- ✅ **sequence**: expected a a b a c a a …; observed a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b a c a a a a b … (1416 characters)
  <br><sub>requests=700 matched=700 offset=0</sub>
- ✅ **never spare**: expected spare: 0; observed spare: 0
  <br><sub>total=700 observed.spare=0</sub>
- ✅ **errors**: expected exactly 0; observed 0 of 700
  <br><sub>errors=0 requests=700</sub>
- ✅ **p99 latency**: expected &lt; 50ms; observed 6.64ms
  <br><sub>latencyUs=6638 limitUs=50000 responses=700</sub>

#### phase 2: a dies

400 requests in 2.00 s · actions: kill a at 0 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | 0.0% | 0.0% | 0 | 0 | - | - |
| b | 50.0% | 50.0% | 200 | 0 | 1.62 ms | 5.25 ms |
| c | 50.0% | 50.0% | 200 | 0 | 6.69 ms | 9.13 ms |
| spare | 0.0% | 0.0% | 0 | 0 | - | - |

- ✅ **distribution**: expected b 50%, c 50% (stated weights b=1 c=1) ±5%; observed b: 200, c: 200 of 400 (50%, 50%); chi-square 0.0, df 1, p = 1.00
  <br><sub>total=400 observed.b=200 expected.b=0.5 observed.c=200 expected.c=0.5 largestDeviation=0 tolerance=0.05 alpha=0.001 chiSquare=0 df=1 pValue=1 effectW=0</sub>
- ✅ **never spare**: expected spare: 0; observed spare: 0
  <br><sub>total=400 observed.spare=0</sub>
- ✅ **status 5xx**: expected exactly 0; observed 0 of 400 (0%); all: 200: 400
  <br><sub>count=0 requests=400</sub>
- ✅ **throughput**: expected at least 150 req/s; observed 200 req/s
  <br><sub>perSec=200 minPerSec=150 responses=400 elapsedMs=2001</sub>
- ✅ **max concurrency at c**: expected at most 8 at once; observed 1 at once
  <br><sub>peak=1 max=8</sub>

#### phase 3: a comes back

9431 requests in 5.00 s · actions: revive a at 501 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | - | 40.9% | 3857 | 0 | 461 µs | 1.95 ms |
| b | - | 29.6% | 2787 | 0 | 514 µs | 4.19 ms |
| c | - | 29.6% | 2787 | 0 | 5.45 ms | 9.62 ms |
| spare | - | 0.0% | 0 | 0 | - | - |

- ✅ **recovery of a**: expected a request reaches a within 4.00s of its revival; observed after 2.86s
  <br><sub>recoveryMs=2863 withinMs=4000</sub>
- ✅ **errors**: expected exactly 0; observed 0 of 9431
  <br><sub>errors=0 requests=9431</sub>
- note: one connection per request (50 bound source addresses)

#### phase 4: c answers 502 and is ejected

34928 requests in 5.00 s · actions: switch c at 0 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | - | 83.3% | 29107 | 0 | 473 µs | 2.33 ms |
| b | - | 16.7% | 5821 | 0 | 471 µs | 2.42 ms |
| c | - | 0.0% | 3 | 3 | - | - |
| spare | - | 0.0% | 0 | 0 | - | - |

- ✅ **ejection of c**: expected at most 5 requests before c is skipped (max\\_fails=2 + 3 in flight), then at most one probe per fail\\_timeout=2.00s; observed 2 before it was skipped, then 1 probe window (+2.34s: 1)
  <br><sub>arrivals=3 burst=2 burstLimit=5 probeWindows=1 crowdedWindows=0 maxFails=2 failTimeoutMs=2000</sub>
- ✅ **status 502**: expected exactly 0; observed 0 of 34928 (0%); all: 200: 34928
  <br><sub>count=0 requests=34928</sub>
- ✅ **share of c**: expected at most 1%; observed 0.01% (3 of 34931)
  <br><sub>total=34931 count=3 share=0.0000859</sub>

#### phase 5: hashed by path

600 requests in 0.25 s · actions: switch c at -6 ms, reload at 0 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | 33.3% | 33.5% | 201 | 0 | 365 µs | 1.02 ms |
| b | 33.3% | 33.5% | 201 | 0 | 357 µs | 3.25 ms |
| c | 33.3% | 33.0% | 198 | 0 | 366 µs | 1.89 ms |
| spare | 0.0% | 0.0% | 0 | 0 | - | - |

- ✅ **sticky by path**: expected every path answered by one backend; observed 0 paths of 200 answered by more than one backend
  <br><sub>keys=200 repeatedKeys=200 splitKeys=0 requests=600</sub>
- ✅ **distribution**: expected a 33.3%, b 33.3%, c 33.3% (stated weights a=1 b=1 c=1) ±15%; observed a: 201, b: 201, c: 198 of 600 (33.5%, 33.5%, 33%)
  <br><sub>total=600 observed.a=201 expected.a=0.333 observed.b=201 expected.b=0.333 observed.c=198 expected.c=0.333 largestDeviation=0.00333 tolerance=0.15 alpha=0 chiSquare=0.03 df=2 pValue=0.985 effectW=0.00707</sub>

#### phase 6: hashed, c gone

600 requests in 0.23 s · actions: kill c at 0 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | - | 50.0% | 300 | 0 | 328 µs | 2.23 ms |
| b | - | 50.0% | 300 | 0 | 324 µs | 1.53 ms |
| c | - | 0.0% | 0 | 0 | - | - |
| spare | - | 0.0% | 0 | 0 | - | - |

- ✅ **sticky by path**: expected every path answered by one backend; observed 0 paths of 200 answered by more than one backend
  <br><sub>keys=200 repeatedKeys=200 splitKeys=0 requests=600</sub>
- ✅ **paths moved**: expected at most 45% of paths moved since "hashed by path"; observed 66 of 200 (33%)
  <br><sub>keys=200 moved=66 share=0.33</sub>
- ✅ **never c**: expected c: 0; observed c: 0
  <br><sub>total=600 observed.c=0</sub>

</details>

`

exports[`dist/report/markdown.test.js > TAP > with a baseline comparison > must match snapshot 1`] = `
### ❌ failover to a backup and back

**failed**: 3 verdicts held, 3 failed · \`failover.yaml\` against bundled · 4.20 s · lbtest 0.1.0

| phase | requests | rate | p50 | p99 | failed requests | verdicts |
| --- | ---: | ---: | ---: | ---: | ---: | --- |
| 1. a dies and comes back | 4697 | 1564/s | 2.71 ms | 6.83 ms | 1 | ❌ 2 of 4 failed |
| 2. both die | 3717 | 3716/s | 420 µs | 2.58 ms | 2 | ❌ 1 of 2 failed |

**Failed verdicts**

- ❌ **phase 1: a dies and comes back — distribution**: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
  <br>a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed. (\`/srv/lbtest/suites/failover.yaml:20:21\`, \`phases[0].expect.distribution\`)
- ❌ **phase 1: a dies and comes back — status 5xx**: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
  <br>1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1). (\`/srv/lbtest/suites/failover.yaml:21:17\`, \`phases[0].expect.status.5xx\`)
- ❌ **phase 2: both die — p99 latency**: expected &lt; 1ms; observed 2.58ms
  <br>p99 latency was 2.58ms over 3717 responses; expected under 1ms. (\`/srv/lbtest/suites/failover.yaml:29:18\`, \`phases[1].expect.latency.p99\`)

<details><summary>Backends and verdicts, phase by phase</summary>

#### phase 1: a dies and comes back

4697 requests in 3.00 s · actions: kill a at 1003 ms, revive a at 2003 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | 50.0% | 31.8% | 1492 | 0 | 778 µs | 4.50 ms |
| b | 50.0% | 68.2% | 3204 | 0 | 2.95 ms | 7.24 ms |
| backup | 0.0% | 0.0% | 0 | 0 | - | - |

- ❌ **distribution**: expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
  <br>a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed. (\`/srv/lbtest/suites/failover.yaml:20:21\`, \`phases[0].expect.distribution\`)
  <br><sub>total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 effectW=0.365</sub>
- ❌ **status 5xx**: expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1
  <br>1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1). (\`/srv/lbtest/suites/failover.yaml:21:17\`, \`phases[0].expect.status.5xx\`)
  <br><sub>count=1 requests=4697</sub>
- ✅ **never backup**: expected backup: 0; observed backup: 0
  <br><sub>total=4696 observed.backup=0</sub>
- ✅ **recovery of a**: expected a request reaches a within 2.00s of its revival; observed after 415ms
  <br><sub>recoveryMs=415 withinMs=2000</sub>

#### phase 2: both die

3717 requests in 1.00 s · actions: kill a at -1 ms, kill b at 0 ms

| backend | expected | observed | received | errors | p50 | p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| a | - | 0.0% | 0 | 0 | - | - |
| b | - | 0.0% | 0 | 0 | - | - |
| backup | - | 100.0% | 3715 | 0 | 420 µs | 2.58 ms |

- ✅ **share of backup**: expected at least 99%; observed 100% (3715 of 3715)
  <br><sub>total=3715 count=3715 share=1</sub>
- ❌ **p99 latency**: expected &lt; 1ms; observed 2.58ms
  <br>p99 latency was 2.58ms over 3717 responses; expected under 1ms. (\`/srv/lbtest/suites/failover.yaml:29:18\`, \`phases[1].expect.latency.p99\`)
  <br><sub>latencyUs=2582 limitUs=1000 responses=3717</sub>

</details>

### ✅ Baseline: failover.bundled

no regression beyond 10% against \`failover.json\`

| phase | measure | baseline | now | change | |
| --- | --- | ---: | ---: | ---: | --- |
| phase 1 "a dies and comes back" | req/s | 1564/s | 1564/s | ±0.0% same | ✅ |
| phase 1 "a dies and comes back" | p50 | 2.71 ms | 2.71 ms | ±0.0% same | ✅ |
| phase 1 "a dies and comes back" | p99 | 6.83 ms | 6.83 ms | ±0.0% same | ✅ |
| phase 2 "both die" | req/s | 3716/s | 3716/s | ±0.0% same | ✅ |
| phase 2 "both die" | p50 | 420 µs | 420 µs | ±0.0% same | ✅ |
| phase 2 "both die" | p99 | 2.58 ms | 2.58 ms | ±0.0% same | ✅ |


`

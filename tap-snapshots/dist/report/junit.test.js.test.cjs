/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`dist/report/junit.test.js > TAP > died: a valid document, counts that add up, as before > must match snapshot 1`] = `
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="lbtest" tests="5" failures="2" errors="1" skipped="0" time="4.203">
  <testsuite name="failover.yaml [bundled]" tests="5" failures="2" errors="1" skipped="0" time="4.203" timestamp="<time>">
    <properties>
      <property name="suite" value="failover to a backup and back"/>
      <property name="file" value="/srv/lbtest/suites/failover.yaml"/>
      <property name="target" value="bundled"/>
      <property name="url" value="http://127.0.0.1:<port>"/>
      <property name="outcome" value="error"/>
      <property name="lbtest" value="0.1.0"/>
    </properties>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: distribution" time="0">
      <failure message="expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138" type="verdict">expected: a 50%, b 50% (stated weights a=1 b=1) ±5%
observed: a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed.
at /srv/lbtest/suites/failover.yaml:20:21 (phases[0].expect.distribution)
</failure>
      <system-out>total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 effectW=0.365
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: status 5xx" time="0">
      <failure message="expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1" type="verdict">expected: exactly 0
observed: 1 of 4697 (0.02%); all: 200: 4696, 502: 1
1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1).
at /srv/lbtest/suites/failover.yaml:21:17 (phases[0].expect.status.5xx)
</failure>
      <system-out>count=1 requests=4697
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: never backup" time="0">
      <system-out>total=4696 observed.backup=0
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: recovery of a" time="0">
      <system-out>recoveryMs=415 withinMs=2000
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="run" time="0">
      <error message="the bundled target died (SIGKILL) during phase &quot;both die&quot;" type="harness">the bundled target died (SIGKILL) during phase &quot;both die&quot;
lbtest: [notice] listening on 127.0.0.1:<port></error>
    </testcase>
  </testsuite>
</testsuites>

`

exports[`dist/report/junit.test.js > TAP > failover: a valid document, counts that add up, as before > must match snapshot 1`] = `
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="lbtest" tests="6" failures="3" errors="0" skipped="0" time="4.203">
  <testsuite name="failover.yaml [bundled]" tests="6" failures="3" errors="0" skipped="0" time="4.203" timestamp="<time>">
    <properties>
      <property name="suite" value="failover to a backup and back"/>
      <property name="file" value="/srv/lbtest/suites/failover.yaml"/>
      <property name="target" value="bundled"/>
      <property name="url" value="http://127.0.0.1:<port>"/>
      <property name="outcome" value="failed"/>
      <property name="lbtest" value="0.1.0"/>
    </properties>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: distribution" time="0">
      <failure message="expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138" type="verdict">expected: a 50%, b 50% (stated weights a=1 b=1) ±5%
observed: a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed.
at /srv/lbtest/suites/failover.yaml:20:21 (phases[0].expect.distribution)
</failure>
      <system-out>total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 effectW=0.365
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: status 5xx" time="0">
      <failure message="expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1" type="verdict">expected: exactly 0
observed: 1 of 4697 (0.02%); all: 200: 4696, 502: 1
1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1).
at /srv/lbtest/suites/failover.yaml:21:17 (phases[0].expect.status.5xx)
</failure>
      <system-out>count=1 requests=4697
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: never backup" time="0">
      <system-out>total=4696 observed.backup=0
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: recovery of a" time="0">
      <system-out>recoveryMs=415 withinMs=2000
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 2 &quot;both die&quot;: share of backup" time="0">
      <system-out>total=3715 count=3715 share=1
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 2 &quot;both die&quot;: p99 latency" time="0">
      <failure message="expected &lt; 1ms; observed 2.58ms" type="verdict">expected: &lt; 1ms
observed: 2.58ms
p99 latency was 2.58ms over 3717 responses; expected under 1ms.
at /srv/lbtest/suites/failover.yaml:29:18 (phases[1].expect.latency.p99)
</failure>
      <system-out>latencyUs=2582 limitUs=1000 responses=3717
</system-out>
    </testcase>
  </testsuite>
</testsuites>

`

exports[`dist/report/junit.test.js > TAP > interrupted: a valid document, counts that add up, as before > must match snapshot 1`] = `
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="lbtest" tests="5" failures="2" errors="1" skipped="0" time="3.650">
  <testsuite name="failover.yaml [bundled]" tests="5" failures="2" errors="1" skipped="0" time="3.650" timestamp="<time>">
    <properties>
      <property name="suite" value="failover to a backup and back"/>
      <property name="file" value="/srv/lbtest/suites/failover.yaml"/>
      <property name="target" value="bundled"/>
      <property name="url" value="http://127.0.0.1:<port>"/>
      <property name="outcome" value="interrupted"/>
      <property name="lbtest" value="0.1.0"/>
    </properties>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: distribution" time="0">
      <failure message="expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138" type="verdict">expected: a 50%, b 50% (stated weights a=1 b=1) ±5%
observed: a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed.
at /srv/lbtest/suites/failover.yaml:20:21 (phases[0].expect.distribution)
</failure>
      <system-out>total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 effectW=0.365
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: status 5xx" time="0">
      <failure message="expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1" type="verdict">expected: exactly 0
observed: 1 of 4697 (0.02%); all: 200: 4696, 502: 1
1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1).
at /srv/lbtest/suites/failover.yaml:21:17 (phases[0].expect.status.5xx)
</failure>
      <system-out>count=1 requests=4697
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: never backup" time="0">
      <system-out>total=4696 observed.backup=0
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: recovery of a" time="0">
      <system-out>recoveryMs=415 withinMs=2000
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="run" time="0">
      <error message="interrupted before every phase finished" type="interrupted"></error>
    </testcase>
  </testsuite>
</testsuites>

`

exports[`dist/report/junit.test.js > TAP > legacy: a valid document, counts that add up, as before > must match snapshot 1`] = `
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="lbtest" tests="6" failures="3" errors="0" skipped="0" time="4.203">
  <testsuite name="failover.yaml [bundled]" tests="6" failures="3" errors="0" skipped="0" time="4.203" timestamp="<time>">
    <properties>
      <property name="suite" value="failover to a backup and back"/>
      <property name="file" value="/srv/lbtest/suites/failover.yaml"/>
      <property name="target" value="bundled"/>
      <property name="url" value="http://127.0.0.1:<port>"/>
      <property name="outcome" value="failed"/>
      <property name="lbtest" value="0.1.0"/>
    </properties>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: distribution" time="0">
      <failure message="expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138" type="verdict">expected: a 50%, b 50% (stated weights a=1 b=1) ±5%
observed: a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed.
at /srv/lbtest/suites/failover.yaml:20:21 (phases[0].expect.distribution)
</failure>
      <system-out>total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 effectW=0.365
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: status 5xx" time="0">
      <failure message="expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1" type="verdict">expected: exactly 0
observed: 1 of 4697 (0.02%); all: 200: 4696, 502: 1
1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1).
at /srv/lbtest/suites/failover.yaml:21:17 (phases[0].expect.status.5xx)
</failure>
      <system-out>count=1 requests=4697
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: never backup" time="0">
      <system-out>total=4696 observed.backup=0
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 1 &quot;a dies and comes back&quot;: recovery of a" time="0">
      <system-out>recoveryMs=415 withinMs=2000
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 2 &quot;both die&quot;: share of backup" time="0">
      <system-out>total=3715 count=3715 share=1
</system-out>
    </testcase>
    <testcase classname="failover.bundled" name="phase 2 &quot;both die&quot;: p99 latency" time="0">
      <failure message="expected &lt; 1ms; observed 2.58ms" type="verdict">expected: &lt; 1ms
observed: 2.58ms
p99 latency was 2.58ms over 3717 responses; expected under 1ms.
at /srv/lbtest/suites/failover.yaml:29:18 (phases[1].expect.latency.p99)
</failure>
      <system-out>latencyUs=2582 limitUs=1000 responses=3717
</system-out>
    </testcase>
  </testsuite>
</testsuites>

`

exports[`dist/report/junit.test.js > TAP > phase-skipped: a valid document, counts that add up, as before > must match snapshot 1`] = `
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="lbtest" tests="5" failures="2" errors="0" skipped="1" time="4.203">
  <testsuite name="failover.yaml [nginx]" tests="5" failures="2" errors="0" skipped="1" time="4.203" timestamp="<time>">
    <properties>
      <property name="suite" value="failover to a backup and back"/>
      <property name="file" value="/srv/lbtest/suites/failover.yaml"/>
      <property name="target" value="nginx"/>
      <property name="url" value="http://127.0.0.1:<port>"/>
      <property name="outcome" value="failed"/>
      <property name="lbtest" value="0.1.0"/>
    </properties>
    <testcase classname="failover.nginx" name="phase 1 &quot;a dies and comes back&quot;: distribution" time="0">
      <failure message="expected a 50%, b 50% (stated weights a=1 b=1) ±5%; observed a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138" type="verdict">expected: a 50%, b 50% (stated weights a=1 b=1) ±5%
observed: a: 1492, b: 3204 of 4696 (31.8%, 68.2%); chi-square 624.1, df 1, p = 9.4e-138
a got 31.8% of 4696 requests where its share is 50%: 18.2 points off, more than the 5.0 points allowed.
at /srv/lbtest/suites/failover.yaml:20:21 (phases[0].expect.distribution)
</failure>
      <system-out>total=4696 observed.a=1492 expected.a=0.5 observed.b=3204 expected.b=0.5 largestDeviation=0.182 tolerance=0.05 alpha=0.001 chiSquare=624 df=1 pValue=9.42e-138 effectW=0.365
</system-out>
    </testcase>
    <testcase classname="failover.nginx" name="phase 1 &quot;a dies and comes back&quot;: status 5xx" time="0">
      <failure message="expected exactly 0; observed 1 of 4697 (0.02%); all: 200: 4696, 502: 1" type="verdict">expected: exactly 0
observed: 1 of 4697 (0.02%); all: 200: 4696, 502: 1
1 response of 4697 had status 5xx; expected exactly 0 (statuses seen: 200: 4696, 502: 1).
at /srv/lbtest/suites/failover.yaml:21:17 (phases[0].expect.status.5xx)
</failure>
      <system-out>count=1 requests=4697
</system-out>
    </testcase>
    <testcase classname="failover.nginx" name="phase 1 &quot;a dies and comes back&quot;: never backup" time="0">
      <system-out>total=4696 observed.backup=0
</system-out>
    </testcase>
    <testcase classname="failover.nginx" name="phase 1 &quot;a dies and comes back&quot;: recovery of a" time="0">
      <system-out>recoveryMs=415 withinMs=2000
</system-out>
    </testcase>
    <testcase classname="failover.nginx" name="phase 2 &quot;both die&quot;" time="0">
      <skipped message="nginx: the backup is not used when every primary is down and max_fails=0"/>
    </testcase>
  </testsuite>
</testsuites>

`

exports[`dist/report/junit.test.js > TAP > skipped-run: a valid document, counts that add up, as before > must match snapshot 1`] = `
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="lbtest" tests="1" failures="0" errors="0" skipped="1" time="0.000">
  <testsuite name="weighted.yaml [url]" tests="1" failures="0" errors="0" skipped="1" time="0.000" timestamp="<time>">
    <properties>
      <property name="suite" value="weighted round robin splits 5:1:1; a dead server is skipped and comes back; a failing one is ejected"/>
      <property name="file" value="/srv/lbtest/suites/weighted.yaml"/>
      <property name="target" value="url"/>
      <property name="url" value="http://127.0.0.1:<port>"/>
      <property name="outcome" value="skipped"/>
      <property name="lbtest" value="0.1.0"/>
    </properties>
    <testcase classname="weighted.url" name="run" time="0">
      <skipped message="the backends would need fixed ports"/>
    </testcase>
  </testsuite>
</testsuites>

`

exports[`dist/report/junit.test.js > TAP > weighted: a valid document, counts that add up, as before > must match snapshot 1`] = `
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="lbtest" tests="20" failures="0" errors="0" skipped="0" time="13.874">
  <testsuite name="weighted.yaml [bundled]" tests="20" failures="0" errors="0" skipped="0" time="13.874" timestamp="<time>">
    <properties>
      <property name="suite" value="weighted round robin splits 5:1:1; a dead server is skipped and comes back; a failing one is ejected"/>
      <property name="file" value="/srv/lbtest/suites/weighted.yaml"/>
      <property name="target" value="bundled"/>
      <property name="url" value="http://127.0.0.1:<port>"/>
      <property name="outcome" value="passed"/>
      <property name="lbtest" value="0.1.0"/>
    </properties>
    <testcase classname="weighted.bundled" name="phase 1 &quot;steady&quot;: distribution" time="0">
      <system-out>total=700 observed.a=500 expected.a=0.714 observed.b=100 expected.b=0.143 observed.c=100 expected.c=0.143 observed.spare=0 expected.spare=0 largestGap=0 slack=1
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 1 &quot;steady&quot;: sequence" time="0">
      <system-out>requests=700 matched=700 offset=0
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 1 &quot;steady&quot;: never spare" time="0">
      <system-out>total=700 observed.spare=0
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 1 &quot;steady&quot;: errors" time="0">
      <system-out>errors=0 requests=700
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 1 &quot;steady&quot;: p99 latency" time="0">
      <system-out>latencyUs=6638 limitUs=50000 responses=700
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 2 &quot;a dies&quot;: distribution" time="0">
      <system-out>total=400 observed.b=200 expected.b=0.5 observed.c=200 expected.c=0.5 largestDeviation=0 tolerance=0.05 alpha=0.001 chiSquare=0 df=1 pValue=1 effectW=0
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 2 &quot;a dies&quot;: never spare" time="0">
      <system-out>total=400 observed.spare=0
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 2 &quot;a dies&quot;: status 5xx" time="0">
      <system-out>count=0 requests=400
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 2 &quot;a dies&quot;: throughput" time="0">
      <system-out>perSec=200 minPerSec=150 responses=400 elapsedMs=2001
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 2 &quot;a dies&quot;: max concurrency at c" time="0">
      <system-out>peak=1 max=8
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 3 &quot;a comes back&quot;: recovery of a" time="0">
      <system-out>recoveryMs=2863 withinMs=4000
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 3 &quot;a comes back&quot;: errors" time="0">
      <system-out>errors=0 requests=9431
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 4 &quot;c answers 502 and is ejected&quot;: ejection of c" time="0">
      <system-out>arrivals=3 burst=2 burstLimit=5 probeWindows=1 crowdedWindows=0 maxFails=2 failTimeoutMs=2000
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 4 &quot;c answers 502 and is ejected&quot;: status 502" time="0">
      <system-out>count=0 requests=34928
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 4 &quot;c answers 502 and is ejected&quot;: share of c" time="0">
      <system-out>total=34931 count=3 share=0.0000859
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 5 &quot;hashed by path&quot;: sticky by path" time="0">
      <system-out>keys=200 repeatedKeys=200 splitKeys=0 requests=600
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 5 &quot;hashed by path&quot;: distribution" time="0">
      <system-out>total=600 observed.a=201 expected.a=0.333 observed.b=201 expected.b=0.333 observed.c=198 expected.c=0.333 largestDeviation=0.00333 tolerance=0.15 alpha=0 chiSquare=0.03 df=2 pValue=0.985 effectW=0.00707
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 6 &quot;hashed, c gone&quot;: sticky by path" time="0">
      <system-out>keys=200 repeatedKeys=200 splitKeys=0 requests=600
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 6 &quot;hashed, c gone&quot;: paths moved" time="0">
      <system-out>keys=200 moved=66 share=0.33
</system-out>
    </testcase>
    <testcase classname="weighted.bundled" name="phase 6 &quot;hashed, c gone&quot;: never c" time="0">
      <system-out>total=600 observed.c=0
</system-out>
    </testcase>
  </testsuite>
</testsuites>

`

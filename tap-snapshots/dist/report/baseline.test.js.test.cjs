/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`dist/report/baseline.test.js > TAP > printed > must match snapshot 1`] = `
baseline reports/base.json (failover.bundled), threshold 10%
┌─────────────────────────────────┬─────────┬──────────┬─────────┬──────────────┬───────────┐
│ phase                           │ measure │ baseline │ now     │ change       │           │
├─────────────────────────────────┼─────────┼──────────┼─────────┼──────────────┼───────────┤
│ phase 1 "a dies and comes back" │ req/s   │ 1564/s   │ 1330/s  │ −15.0% worse │ REGRESSED │
├─────────────────────────────────┼─────────┼──────────┼─────────┼──────────────┼───────────┤
│ phase 1 "a dies and comes back" │ p50     │ 2.71 ms  │ 3.52 ms │ +30.0% worse │ REGRESSED │
├─────────────────────────────────┼─────────┼──────────┼─────────┼──────────────┼───────────┤
│ phase 1 "a dies and comes back" │ p99     │ 6.83 ms  │ 8.87 ms │ +30.0% worse │ REGRESSED │
├─────────────────────────────────┼─────────┼──────────┼─────────┼──────────────┼───────────┤
│ phase 2 "both die"              │ req/s   │ 3716/s   │ 3158/s  │ −15.0% worse │ REGRESSED │
├─────────────────────────────────┼─────────┼──────────┼─────────┼──────────────┼───────────┤
│ phase 2 "both die"              │ p50     │ 420 µs   │ 546 µs  │ +30.0% worse │ REGRESSED │
├─────────────────────────────────┼─────────┼──────────┼─────────┼──────────────┼───────────┤
│ phase 2 "both die"              │ p99     │ 2.58 ms  │ 3.36 ms │ +30.0% worse │ REGRESSED │
└─────────────────────────────────┴─────────┴──────────┴─────────┴──────────────┴───────────┘
REGRESSION: 6 of 6 measures worse than the baseline by more than 10%

`

exports[`dist/report/baseline.test.js > TAP > printed > must match snapshot 2`] = `
baseline reports/base.json (failover.bundled), threshold 10%
┌─────────────────────────────────┬─────────┬──────────┬─────────┬────────────┬────┐
│ phase                           │ measure │ baseline │ now     │ change     │    │
├─────────────────────────────────┼─────────┼──────────┼─────────┼────────────┼────┤
│ phase 1 "a dies and comes back" │ req/s   │ 1564/s   │ 1564/s  │ ±0.0% same │ ok │
├─────────────────────────────────┼─────────┼──────────┼─────────┼────────────┼────┤
│ phase 1 "a dies and comes back" │ p50     │ 2.71 ms  │ 2.71 ms │ ±0.0% same │ ok │
├─────────────────────────────────┼─────────┼──────────┼─────────┼────────────┼────┤
│ phase 1 "a dies and comes back" │ p99     │ 6.83 ms  │ 6.83 ms │ ±0.0% same │ ok │
├─────────────────────────────────┼─────────┼──────────┼─────────┼────────────┼────┤
│ phase 2 "both die"              │ req/s   │ 3716/s   │ 3716/s  │ ±0.0% same │ ok │
├─────────────────────────────────┼─────────┼──────────┼─────────┼────────────┼────┤
│ phase 2 "both die"              │ p50     │ 420 µs   │ 420 µs  │ ±0.0% same │ ok │
├─────────────────────────────────┼─────────┼──────────┼─────────┼────────────┼────┤
│ phase 2 "both die"              │ p99     │ 2.58 ms  │ 2.58 ms │ ±0.0% same │ ok │
└─────────────────────────────────┴─────────┴──────────┴─────────┴────────────┴────┘
no regression: 6 measures within 10% of the baseline

`

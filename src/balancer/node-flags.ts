/**
 * The V8 flags `lbtest serve` runs with. A young generation of 64 MB semi-spaces instead of
 * V8's 16 MB: a proxied request leaves ~10 KB of short-lived garbage, so the default size
 * scavenges every ~40 ms under load, and each pause holds up every request in flight; four
 * times fewer pauses took the p99 at a fixed 25k req/s from 3.3 to 1.8 ms and added 1-3% req/s
 * at saturation (npm run bench), with no change in the resident memory of an idle balancer.
 * bin/lbtest.js carries them in its shebang; whatever starts `lbtest serve` with
 * process.execPath (the bundled target, the bench, the tests) passes them explicitly.
 */
export const SERVE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

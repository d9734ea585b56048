/**
 * The V8 flags `lbtest serve` runs with. Young-generation semi-spaces of 32 MB instead of V8's
 * 16 MB: a proxied request leaves ~9 KB of short-lived garbage, so the default size scavenges
 * every ~40 ms under load, and each pause holds up every request in flight. Measured in the same
 * rounds (npm run bench, 2 cores): at a fixed 25k req/s the p99 went 3.26 -> 2.01 ms; at
 * saturation 46.9k -> 51.9k req/s and p99 1.57 -> 1.39 ms. 64 MB did a little better on the p99
 * but kept ~180 MB resident after load (32 MB: ~125 MB; goal: < 150 MB holding 1,000 connections).
 * bin/lbtest.js carries them in its shebang; whatever starts `lbtest serve` with
 * process.execPath (the bundled target, the bench, the tests) passes them explicitly.
 */
export const SERVE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];

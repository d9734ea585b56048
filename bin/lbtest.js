#!/usr/bin/env -S node --max-semi-space-size=32
// Entry shim: the compiled CLI lives in dist/ (built by `npm install` through `prepare`). The flag
// is SERVE_NODE_FLAGS (src/balancer/node-flags.ts): a larger young generation for the balancer.
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('lbtest: dist/ is missing; run `npm run build` (npm install does it)\n');
    process.exit(2);
  }
  throw err;
});

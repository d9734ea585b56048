#!/usr/bin/env node
// Entry shim: the compiled CLI lives in dist/ (built by `npm install` through `prepare`).
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('lbtest: dist/ is missing; run `npm run build` (npm install does it)\n');
    process.exit(2);
  }
  throw err;
});

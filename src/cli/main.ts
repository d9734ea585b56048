/** Process entry: runs the CLI with the real streams and turns its result into an exit status. */
import { main, type Io } from './cli.js';
import { EXIT } from './exit-codes.js';

const io: Io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
main(process.argv.slice(2), io).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    process.stderr.write(`lbtest: internal error (please report): ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(EXIT.harness);
  },
);

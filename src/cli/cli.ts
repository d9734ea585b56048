/**
 * The command line: argv -> one command. Every command
 * returns its exit code and writes through the streams it is given.
 */
import { EXIT, type ExitCode } from './exit-codes.js';

export interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly cwd: string;
}

type Command = (argv: readonly string[], io: Io) => Promise<ExitCode>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.js')).run,
  report: async () => (await import('./commands/report.js')).report,
  check: async () => (await import('./commands/check.js')).check,
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  backends: async () => (await import('./commands/backends.js')).backends,
  bench: async () => (await import('./commands/bench.js')).bench,
};

const USAGE = `usage: lbtest <command> [options]

commands:
  run SUITE|DIR... [--target bundled|nginx|URL]   run suites: backends, balancer, traffic, verdicts
  report RUN.json... --html|--md|--junit [-o FILE]   re-render saved runs in another format
  check -c FILE [-p PREFIX]   test an nginx configuration as \`nginx -t\` does
  serve -c FILE [-p PREFIX]   run the bundled balancer in the foreground (-t: test only)
  backends up FILE            start the backends a file or suite describes, print their addresses
  bench [-c FILE] [...]       the same load against the backends, lbtest, nginx and HAProxy: req/s, µs latency
`;

export async function main(argv: readonly string[], io: Io): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    io.stderr.write(`lbtest: unknown command "${name}"\n${USAGE}`);
    return EXIT.usage;
  }
  return (await load())(rest, io);
}


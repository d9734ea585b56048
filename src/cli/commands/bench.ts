/**
 * `lbtest bench [-c CONF] [...]`: the same load against the backends directly, the bundled
 * balancer, nginx and HAProxy where installed, in alternating rounds; prints the table and writes
 * bench.json with github-action-benchmark's two custom files next to it. Progress goes to stderr,
 * the table to stdout. Exit 0, or 1 with --gate when lbtest misses its goals against nginx; 4 when the
 * bench could not run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { Io } from '../cli.js';
import { BENCH_USAGE, parseBenchArgs, type BenchOptions } from '../../bench/options.js';
import { runBench } from '../../bench/run.js';
import { gabEntries, missed, renderJson, renderText } from '../../bench/report.js';

export async function bench(argv: readonly string[], io: Io): Promise<ExitCode> {
  let opts: BenchOptions;
  try {
    opts = parseBenchArgs(argv);
  } catch (e) {
    io.stderr.write(`lbtest: ${(e as Error).message}\n${BENCH_USAGE}`);
    return EXIT.usage;
  }
  let run;
  try {
    run = await runBench(opts, io.cwd, (line) => io.stderr.write(`lbtest bench: ${line}\n`));
  } catch (e) {
    io.stderr.write(`lbtest: [emerg] bench could not run: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.harness;
  }
  io.stdout.write(renderText(run));
  const dir = resolve(io.cwd, opts.outDir);
  mkdirSync(dir, { recursive: true });
  const [bigger, smaller] = gabEntries(run);
  writeFileSync(join(dir, 'bench.json'), renderJson(run));
  writeFileSync(join(dir, 'bench-bigger-is-better.json'), JSON.stringify(bigger, null, 2) + '\n');
  writeFileSync(join(dir, 'bench-smaller-is-better.json'), JSON.stringify(smaller, null, 2) + '\n');
  io.stdout.write(`\nwritten: ${join(opts.outDir, 'bench.json')}, bench-bigger-is-better.json (customBiggerIsBetter), bench-smaller-is-better.json (customSmallerIsBetter)\n`);
  return opts.gate && missed(run).length > 0 ? EXIT.failed : EXIT.ok;
}

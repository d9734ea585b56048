/** Every exit status lbtest uses, in one table. Only src/cli/main.ts calls process.exit. */
export const EXIT = {
  ok: 0,            // every verdict held / the configuration is valid
  failed: 1,        // a verdict failed / `check`: the configuration test failed
  usage: 2,         // bad command line
  badInput: 3,      // the suite or a file it names is invalid
  harness: 4,       // lbtest itself, a backend or the target could not run
  interrupted: 130, // SIGINT
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

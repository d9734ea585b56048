/** Where the repository's fixture folders are, from compiled tests in dist/ or any build folder. */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** The repository root: two levels above a compiled file in <build>/<folder>/. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export function repoPath(...parts: string[]): string {
  return resolve(REPO_ROOT, ...parts);
}

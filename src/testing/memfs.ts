/** An in-memory FileSource for configuration tests: paths are absolute, `*` globs one segment. */
import { dirname } from 'node:path';
import type { FileSource } from '../config/parser.js';
import { segmentRegExp } from '../config/glob.js';

export function memorySource(files: Record<string, string>): FileSource {
  return {
    read(path) {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
      return text;
    },
    isDirectory: () => false,
    glob(pattern) {
      const dir = dirname(pattern);
      const re = segmentRegExp(pattern.slice(dir.length + 1));
      return Object.keys(files).filter((f) => dirname(f) === dir && re.test(f.slice(dir.length + 1))).sort();
    },
  };
}

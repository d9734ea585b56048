/**
 * Placeholders in a suite's nginx configuration, filled in once the addresses are known:
 *
 *   {{NAME}}         the backend NAME's address, 127.0.0.1:PORT (what a `server` line wants)
 *   {{NAME.port}}    its port;  {{NAME.host}} its host
 *   {{listen}}       the balancer's address, 127.0.0.1:PORT (what `listen` wants)
 *   {{listen.port}}  its port;  {{listen.host}} its host
 *
 * Spaces inside the braces are allowed ({{ a }}). Any other `{{` is left as written. A value never
 * holds a newline, so the rendered text keeps every line where it was: nginx's line numbers stay
 * the suite's. An unknown name is an issue at its own line and column.
 */

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface Addresses {
  readonly listen: Endpoint;
  readonly backends: ReadonlyMap<string, Endpoint>;
}

export const LISTEN = 'listen';
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9][A-Za-z0-9_.-]*)\s*\}\}/g;

export interface Unknown {
  readonly name: string;
  /** 1-based, within the text. */
  readonly line: number;
  readonly col: number;
}

export interface Rendered {
  readonly text: string;
  readonly unknown: readonly Unknown[];
  /** Backend names the text refers to, in order of first use. */
  readonly used: readonly string[];
}

export function render(text: string, addresses: Addresses): Rendered {
  const unknown: Unknown[] = [];
  const used: string[] = [];
  const out = text.replace(PLACEHOLDER, (whole, name: string, offset: number) => {
    const value = resolve(name, addresses, used);
    if (value !== null) return value;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    unknown.push({ name, line, col: offset - before.lastIndexOf('\n') });
    return whole;
  });
  return { text: out, unknown, used };
}

function resolve(name: string, a: Addresses, used: string[]): string | null {
  const whole = lookup(name, a, used);
  if (whole !== null) return `${whole.host}:${whole.port}`;
  const m = /^(.*)\.(port|host)$/.exec(name);
  const base = m === null ? null : lookup(m[1]!, a, used);
  if (base === null) return null;
  return m![2] === 'port' ? String(base.port) : base.host;
}

function lookup(name: string, a: Addresses, used: string[]): Endpoint | null {
  if (name === LISTEN) return a.listen;
  const e = a.backends.get(name);
  if (e !== undefined && !used.includes(name)) used.push(name);
  return e ?? null;
}

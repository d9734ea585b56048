/**
 * Handlers for directives that set one value on the current level, with nginx's messages
 * (ngx_conf_set_flag_slot(), _msec_slot(), _sec_slot(), _size_slot(), _num_slot(), _enum_slot(),
 * _bitmask_slot(), _keyval_slot()): a second occurrence on the same level is "is duplicate".
 */
import { fail } from './compose.js';
import type { DirectiveNode } from './parser.js';
import type { Composer } from './compose.js';
import type { Arity, Ctx, DirectiveSpec } from './spec.js';
import { parseInteger, parseSize, parseTime } from './units.js';

type Handler = NonNullable<DirectiveSpec['handle']>;

export function spec(name: string, contexts: readonly Ctx[], arity: Arity, handle?: Handler, extra: Partial<DirectiveSpec> = {}): DirectiveSpec {
  return { name, contexts, arity, block: false, ...(handle ? { handle } : {}), ...extra };
}

function setOnce(c: Composer, d: DirectiveNode, value: unknown): void {
  const level = c.level;
  if (level === null) return;
  if (level.slots.has(d.name)) fail(c, `"${d.name}" directive is duplicate`);
  level.slots.set(d.name, value);
}

export const flagSlot: Handler = (d, [v], c) => {
  const lower = v!.toLowerCase();
  if (lower !== 'on' && lower !== 'off') fail(c, `invalid value "${v}" in "${d.name}" directive, it must be "on" or "off"`);
  setOnce(c, d, lower === 'on');
};

export const msecSlot: Handler = (d, [v], c) => {
  const ms = parseTime(v!);
  if (ms === null) fail(c, `"${d.name}" directive invalid value`);
  setOnce(c, d, ms);
};

export const secSlot: Handler = (d, [v], c) => {
  const ms = parseTime(v!, true);
  if (ms === null) fail(c, `"${d.name}" directive invalid value`);
  setOnce(c, d, ms);
};

export const sizeSlot: Handler = (d, [v], c) => {
  const n = parseSize(v!);
  if (n === null) fail(c, `"${d.name}" directive invalid value`);
  setOnce(c, d, n);
};

/** proxy_max_temp_file_size and friends take an offset (k, m, g). */
export const offSlot: Handler = (d, [v], c) => {
  const n = parseSize(v!, true);
  if (n === null) fail(c, `"${d.name}" directive invalid value`);
  setOnce(c, d, n);
};

export const numSlot: Handler = (d, [v], c) => {
  const n = parseInteger(v!);
  if (n === null) fail(c, `"${d.name}" directive invalid number`);
  setOnce(c, d, n);
};

export function enumSlot(values: readonly string[]): Handler {
  return (d, [v], c) => {
    const found = values.find((x) => x.toLowerCase() === v!.toLowerCase());
    if (found === undefined) fail(c, `invalid value "${v}"`);
    setOnce(c, d, found);
  };
}

/** nginx's bitmask slot: values OR together, even across repeated lines; a repeated value warns. */
export function bitmaskSlot(values: readonly string[]): Handler {
  return (d, args, c) => {
    const level = c.level;
    if (level === null) return;
    const set = (level.slots.get(d.name) as Set<string> | undefined) ?? new Set<string>();
    for (const v of args) {
      const found = values.find((x) => x === v.toLowerCase());
      if (found === undefined) fail(c, `invalid value "${v}"`);
      if (set.has(found)) c.warn(`duplicate value "${v}"`);
      set.add(found);
    }
    level.slots.set(d.name, set);
  };
}

/** `name value` pairs such as proxy_set_header; repeatable. */
export function pushList(c: Composer, name: string, value: unknown): void {
  const level = c.level;
  if (level === null) return;
  const list = level.lists.get(name);
  if (list === undefined) level.lists.set(name, [value]);
  else list.push(value);
}

export function setSlot(c: Composer, name: string, value: unknown, dupCheck = true): void {
  const level = c.level;
  if (level === null) return;
  if (dupCheck && level.slots.has(name)) fail(c, `"${name}" directive is duplicate`);
  level.slots.set(name, value);
}

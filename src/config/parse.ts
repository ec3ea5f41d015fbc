// Reading one cloud-config file (pure): bytes → UTF-8 text → one YAML
// document → a plain object, with a position for every key and value.
// Hostile or broken input is answered with diagnostics, fast: the size is
// checked before anything is parsed, every other limit in one walk over the
// document (keys, nesting, alias expansion, duplicate keys), so the cost is
// linear in the input and bounded by LIMITS. The dialect is YAML 1.1
// (yaml.ts); keys keep their text (`on:` is the key "on", not true) and the
// text of every plain non-string scalar is kept, so a value the schema wants
// as a string reads as written (`hostname: 1234`, `permissions: 0755`), as
// go-yaml v2 decoded into a string field.
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostic';
import { YAML_OPTIONS } from './yaml';
import { isPlainObject } from './merge';

/** A cloud-config is a page or two of YAML; these are far above any real one. */
export const LIMITS = {
  /** Bytes in one file. */
  bytes: 1 << 20,
  /** Map keys plus list items, counting what aliases expand to. */
  nodes: 10_000,
  /** Maps and lists inside each other. */
  depth: 64,
} as const;

export interface Position {
  line: number;
  column: number;
}

/** Where the key (`key`) or the value (`value`) at a path is in the source; the closest enclosing node when the path is not in the text. */
export type Locate = (path: string[], at: 'key' | 'value') => Position | undefined;

/** The source text of the plain scalar at a path when YAML read it as a number or boolean. */
export type SourceOf = (path: string[]) => string | undefined;

export type ParseResult =
  | { ok: true; value: Record<string, unknown>; locate: Locate; sourceOf: SourceOf; warnings: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

/** Longest text of the input a message may quote. */
const QUOTE_MAX = 60;

/** A value or key as a message shows it: whole when short, else its start and its length. */
export function quote(text: string): string {
  if (text.length <= QUOTE_MAX) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, QUOTE_MAX))}… (${text.length} characters)`;
}

const mib = (bytes: number) => `${(bytes / (1 << 20)).toFixed(1)} MiB`;

/** Index of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function invalidUtf8At(buf: Uint8Array): number {
  for (let i = 0; i < buf.length; ) {
    const b = buf[i] ?? 0;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > buf.length) return i;
    for (let k = 1; k < len; k++) if (((buf[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    const b1 = buf[i + 1] ?? 0;
    if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 >= 0xa0) || (b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 >= 0x90)) return i;
    i += len;
  }
  return -1;
}

/** 1-based line and column (in characters) of a byte offset in valid UTF-8 `buf`. */
function bytePosition(buf: Uint8Array, offset: number): Position {
  const before = Buffer.from(buf.buffer, buf.byteOffset, offset).toString('utf8');
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** The diagnostic for a file of `bytes` bytes when that is over the limit. */
export function tooLarge(bytes: number, file: string): Diagnostic | null {
  return bytes > LIMITS.bytes ? { code: 'too-large', message: `the file is ${mib(bytes)}; a cloud-config may be at most ${mib(LIMITS.bytes)}`, file, path: '' } : null;
}

function decode(input: string | Uint8Array, file: string): { text: string } | { diagnostic: Diagnostic } {
  const big = tooLarge(typeof input === 'string' ? Buffer.byteLength(input) : input.length, file);
  if (big) return { diagnostic: big };
  if (typeof input === 'string') return { text: input };
  const bad = invalidUtf8At(input);
  if (bad >= 0) {
    const byte = `0x${(input[bad] ?? 0).toString(16).padStart(2, '0')}`;
    return { diagnostic: { code: 'not-utf8', message: `not UTF-8 text: byte ${byte} does not start a valid UTF-8 character (is the file in another encoding?)`, file, path: '', ...bytePosition(input, bad) } };
  }
  return { text: Buffer.from(input.buffer, input.byteOffset, input.length).toString('utf8') };
}

const YAML_MESSAGES: Record<string, string> = {
  MULTIPLE_DOCS: 'a second YAML document starts here; a cloud-config is one document (remove the `---` line or split the file)',
};

const rangeStart = (n: unknown): number | undefined => (n && typeof n === 'object' && 'range' in n && Array.isArray(n.range) ? (n.range[0] as number) : undefined);
const pathKey = (path: string[]) => path.join('\u0000');

interface Walk {
  positions: Map<string, { key?: number; value?: number }>;
  sources: Map<string, string>;
  diagnostics: Diagnostic[];
  nodes: number;
}

/**
 * One pass over the document: positions of every key and value, duplicate
 * keys, keys that are not plain values, nesting depth, and the number of keys
 * and list items with what aliases expand to. Stops at the first limit crossed.
 */
function walk(doc: Document, file: string, position: (offset: number) => Position): Walk {
  const w: Walk = { positions: new Map(), sources: new Map(), diagnostics: [], nodes: 0 };
  const keepSource = (node: unknown, at: string[]) => {
    if (isScalar(node) && node.type === 'PLAIN' && typeof node.source === 'string' && (typeof node.value === 'number' || typeof node.value === 'boolean')) w.sources.set(pathKey(at), node.source);
  };
  let stopped = false; // a limit was crossed: nothing after it is worth reading
  const expanded = new Map<Node, number>(); // anchored node → what it expands to
  const inProgress = new Set<Node>();
  const fail = (code: string, message: string, offset: number | undefined, path: string[], stop = false) => {
    w.diagnostics.push({ code, message, file, path: path.join('.'), ...(offset === undefined ? {} : position(offset)) });
    stopped ||= stop;
  };

  /** Keys and list items under `node`, aliases expanded; memoised per anchored node. */
  const sizeOf = (node: unknown): number => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) return 0;
      if (inProgress.has(target)) return Infinity; // an alias inside its own anchor
      const known = expanded.get(target);
      if (known !== undefined) return known;
      inProgress.add(target);
      const size = sizeOf(target);
      inProgress.delete(target);
      expanded.set(target, size);
      return size;
    }
    if (isMap(node) || isSeq(node)) {
      let n = 0;
      for (const item of node.items) n += 1 + (isPair(item) ? sizeOf(item.value) : sizeOf(item));
      return n;
    }
    return 0;
  };

  const visit = (node: unknown, path: string[], depth: number): void => {
    if (stopped) return;
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) return fail('yaml-bad_alias', `alias *${node.source} names no anchor defined before it`, rangeStart(node), path);
      const size = sizeOf(node);
      if (size === Infinity) return fail('yaml-bad_alias', `alias *${node.source} refers to the node it is part of`, rangeStart(node), path);
      w.nodes += size;
      if (w.nodes > LIMITS.nodes) fail('alias-bomb', `aliases expand the document past ${LIMITS.nodes} keys and list items (an alias bomb?)`, rangeStart(node), path, true);
      return;
    }
    if (!isMap(node) && !isSeq(node)) return;
    if (depth > LIMITS.depth) return fail('too-deep', `maps and lists nested more than ${LIMITS.depth} deep`, rangeStart(node), path, true);
    if (isSeq(node)) {
      node.items.forEach((item, i) => {
        if (stopped) return;
        const at = [...path, String(i)];
        w.positions.set(pathKey(at), { key: rangeStart(item), value: rangeStart(item) });
        keepSource(item, at);
        if (++w.nodes > LIMITS.nodes) return fail('too-many-keys', `more than ${LIMITS.nodes} keys and list items; a cloud-config is never this big`, rangeStart(item), at, true);
        visit(item, at, depth + 1);
      });
      return;
    }
    const seen = new Map<string, number | undefined>();
    for (const pair of node.items) {
      if (stopped) return;
      const offset = rangeStart(pair.key);
      if (!isScalar(pair.key)) {
        fail('bad-key', 'a key must be a plain value, not a map, a list or an alias', offset ?? rangeStart(node), path);
        continue;
      }
      // A key is its text, as go-yaml v2 decoded map keys: `on:` and `0755:` stay "on" and "0755".
      if ((typeof pair.key.value === 'number' || typeof pair.key.value === 'boolean') && typeof pair.key.source === 'string') pair.key.value = pair.key.source;
      // The key as toJS() spells it in the object the schema sees (`~` → '').
      const key = String(pair.key.value ?? '');
      const at = [...path, key];
      if (seen.has(key)) {
        const first = seen.get(key);
        fail('yaml-duplicate_key', `duplicate key ${quote(key)}${first === undefined ? '' : ` (first at line ${position(first).line})`}`, offset, at);
        continue;
      }
      seen.set(key, offset);
      w.positions.set(pathKey(at), { key: offset, value: rangeStart(pair.value) });
      keepSource(pair.value, at);
      if (++w.nodes > LIMITS.nodes) return fail('too-many-keys', `more than ${LIMITS.nodes} keys and list items; a cloud-config is never this big`, offset, at, true);
      visit(pair.value, at, depth + 1);
    }
  };
  visit(doc.contents, [], 1);
  return w;
}

/** Parses one cloud-config file. Never throws. */
export function parseConfigText(input: string | Uint8Array, file: string): ParseResult {
  const decoded = decode(input, file);
  if ('diagnostic' in decoded) return { ok: false, diagnostics: [decoded.diagnostic] };
  const lineCounter = new LineCounter();
  // uniqueKeys off: the library's check is quadratic in a map's size; walk() does it in one pass.
  const doc = parseDocument(decoded.text, { ...YAML_OPTIONS, lineCounter, prettyErrors: false, uniqueKeys: false });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const fromYaml = (e: { code: string; message: string; pos: [number, number] }): Diagnostic => ({
    code: `yaml-${e.code.toLowerCase()}`,
    message: YAML_MESSAGES[e.code] ?? (e.message.split('\n')[0] ?? e.message).slice(0, 200),
    file,
    path: '',
    ...position(e.pos[0]),
  });
  if (doc.errors.length > 0) return { ok: false, diagnostics: doc.errors.map(fromYaml) };
  const w = walk(doc, file, position);
  if (w.diagnostics.length > 0) return { ok: false, diagnostics: w.diagnostics };
  // Aliases were counted above, so expanding them here is bounded.
  const value: unknown = doc.toJS({ maxAliasCount: -1 }) ?? {};
  if (!isPlainObject(value)) {
    return { ok: false, diagnostics: [{ code: 'not-a-map', message: 'a cloud-config must be a map of keys', file, path: '', line: 1, column: 1 }] };
  }
  const locate: Locate = (path, at) => {
    // The deepest part of the path that is in the text (a path through an alias ends at the alias).
    for (let n = path.length; n > 0; n--) {
      const found = w.positions.get(pathKey(path.slice(0, n)));
      const offset = at === 'key' ? found?.key : found?.value ?? found?.key;
      if (offset !== undefined) return position(offset);
    }
    return { line: 1, column: 1 };
  };
  return { ok: true, value, locate, sourceOf: (path) => w.sources.get(pathKey(path)), warnings: doc.warnings.map(fromYaml) };
}

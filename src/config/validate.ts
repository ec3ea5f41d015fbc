// Validating a cloud-config (pure): YAML with positions → schema (ajv, every
// error) → rules the schema cannot express (write_files content decodes) →
// diagnostics pointing at the offending key or value. Never stops at the first
// problem and never throws on bad input.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { gunzipSync } from 'node:zlib';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { Diagnostic } from './diagnostic';
import { parseLayer } from './layers';
import { isPlainObject } from './merge';
import schema from './schema.json';
import { closest } from './suggest';
import { dropIgnoredKeys } from './rancheros-compat';
import type { RosConfig } from './types';

export type ValidateResult = { ok: true; config: RosConfig; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

type Position = { line: number; column: number };
/** Where the key (`key`) or the value (`value`) at a path is in the source, if known. */
type Locate = (path: string[], at: 'key' | 'value') => Position | undefined;

const RANGE_KEYWORDS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);
const B64 = new Set(['b64', 'base64', 'gzip+base64', 'gz+base64', 'gzip+b64', 'gz+b64']);
const GZIP = new Set(['gzip', 'gz', 'gzip+base64', 'gz+base64', 'gzip+b64', 'gz+b64']);
const MAX_GUNZIP = 64 * 1024 * 1024; // a config is no place for a gzip bomb

let compiled: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  // Compiled once, on first use. allowUnionTypes: `type: [string, number]` is intended.
  compiled ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(schema);
  return compiled;
}

/** Validates one cloud-config file's text. */
export function validateConfig(text: string, file: string): ValidateResult {
  const layer = parseLayer(text, file); // yaml-* syntax errors and not-a-map, as the loader reports them
  if (!layer.ok) return layer;
  // parseLayer keeps no positions; parse again for them (configs are small).
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const warnings = doc.warnings.map((w) => ({
    code: `yaml-${w.code.toLowerCase()}`, message: w.message.split('\n')[0] ?? w.message, file, path: '', ...position(w.pos[0]),
  }));
  return check(layer.value, file, (path, at) => locate(doc, path, at, position), warnings);
}

/** Validates a config that did not come from text (e.g. a cmdline layer): same codes, no positions. */
export function validateValue(value: unknown, file: string): ValidateResult {
  if (!isPlainObject(value)) return { ok: false, diagnostics: [{ code: 'not-a-map', message: 'a cloud-config must be a map of keys', file, path: '' }] };
  return check(value, file, () => undefined, []);
}

function check(original: Record<string, unknown>, file: string, where: Locate, yamlWarnings: Diagnostic[]): ValidateResult {
  const dropped = dropIgnoredKeys(original, file, (path) => where(path, 'key'));
  const value = dropped.value;
  const warnings = [...yamlWarnings, ...dropped.warnings];
  const validate = schemaValidator();
  const errors = validate(value) ? [] : collapseAnyOf(validate.errors ?? []);
  const diagnostics = [...errors.map((e) => fromAjv(e, file, where)), ...contentRule(value, file, where)];
  if (diagnostics.length === 0) return { ok: true, config: value, warnings };
  const last = Number.MAX_SAFE_INTEGER; // unpositioned diagnostics keep ajv's order, after the rest
  const byPosition = (a: Diagnostic, b: Diagnostic) => (a.line ?? last) - (b.line ?? last) || (a.column ?? last) - (b.column ?? last);
  return { ok: false, diagnostics: diagnostics.sort(byPosition) };
}

// ---- schema errors ----------------------------------------------------------

const within = (path: string, base: string) => path === base || path.startsWith(`${base}/`);

/**
 * An anyOf (`string | string[]`, map-or-list labels) fails with one error per
 * branch. Ajv emits a branch's errors just before the anyOf error, all at or
 * under its path. Errors deeper than a type mismatch come from the branch whose
 * shape fit, so they are the real problem; when every branch mismatched, one
 * `type` error lists what would have fit.
 */
function collapseAnyOf(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword !== 'anyOf') {
      out.push(e);
      continue;
    }
    let start = out.length;
    while (start > 0 && within(out[start - 1]?.instancePath ?? '', e.instancePath)) start--;
    const branches = out.splice(start);
    const isMismatch = (b: ErrorObject) => b.instancePath === e.instancePath && b.keyword === 'type';
    const deeper = branches.filter((b) => !isMismatch(b));
    if (deeper.length > 0) out.push(...deeper);
    else out.push({ ...e, keyword: 'type', params: { type: branches.map((b) => String(b.params.type)).join(',') } });
  }
  return out;
}

const pointer = (instancePath: string) => instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
const noun: Record<string, string> = { object: 'a map', array: 'a list', string: 'a string', number: 'a number', integer: 'an integer', boolean: 'a boolean', null: 'null' };
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : isPlainObject(v) ? 'object' : typeof v);
const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
const rancherKeys = Object.keys(schema.definitions.RancherConfig.properties);

function fromAjv(e: ErrorObject, file: string, where: Locate): Diagnostic {
  const path = pointer(e.instancePath);
  const diag = (code: string, message: string, at: string[], mode: 'key' | 'value', shown = at): Diagnostic => ({
    code, message, file, path: shown.join('.'), ...where(at, mode),
  });
  const parent = (e.parentSchema ?? {}) as { properties?: object; $comment?: string; enum?: unknown[] };
  const note = parent.$comment ? `: ${parent.$comment.replace(/\.$/, '').replace(/^M/, 'm')}` : '';
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const known = closest(key, Object.keys(parent.properties ?? {}));
      const hint = known ? `; did you mean ${known}?` : path.length === 0 && rancherKeys.includes(key) ? `; did you mean rancher.${key}?` : '';
      return diag('unknown-key', `unknown key "${key}"${hint}`, [...path, key], 'key');
    }
    case 'required': {
      const key = String(e.params.missingProperty);
      return diag('required', `missing required key "${key}"`, path, 'key', [...path, key]); // points at the map that lacks it
    }
    case 'type': {
      const expected = String(e.params.type).split(',');
      const quote = expected.includes('string') && typeof e.data === 'number' ? ' (quote it to make it a string)'
        : expected.includes('number') && typeof e.data === 'string' && Number.isFinite(Number(e.data)) ? ' (remove the quotes)' : '';
      return diag('type', `expected ${expected.map((t) => noun[t] ?? t).join(' or ')}, got ${noun[kindOf(e.data)] ?? kindOf(e.data)}${quote}`, path, 'value');
    }
    case 'enum': {
      const allowed = (parent.enum ?? []).map(String);
      const hint = closest(String(e.data), allowed);
      return diag('enum', `${show(e.data)} is not one of ${allowed.join(', ')}${hint ? `; did you mean ${hint}?` : ''}`, path, 'value');
    }
    case 'pattern':
      return diag('pattern', `${show(e.data)} is invalid${note || `: must match ${String(e.params.pattern)}`}`, path, 'value');
    default:
      if (RANGE_KEYWORDS.has(e.keyword)) return diag('range', `${show(e.data)} is out of range${note}`, path, 'value');
      return diag(e.keyword, e.message ?? e.keyword, path, 'value');
  }
}

// ---- rules after the schema ---------------------------------------------------

/** write_files content must decode as its encoding says (cloud-init fails the whole module otherwise). */
function contentRule(value: Record<string, unknown>, file: string, where: Locate): Diagnostic[] {
  const files = Array.isArray(value.write_files) ? (value.write_files as unknown[]) : [];
  const out: Diagnostic[] = [];
  files.forEach((wf, i) => {
    if (!isPlainObject(wf) || typeof wf.content !== 'string' || typeof wf.encoding !== 'string') return;
    const at = ['write_files', String(i), 'content'];
    const report = (code: string, message: string) => out.push({ code, message, file, path: at.join('.'), ...where(at, 'value') });
    let bytes = Buffer.from(wf.content, 'latin1');
    if (B64.has(wf.encoding)) {
      const compact = wf.content.replace(/\s+/g, '');
      if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) {
        return report('bad-base64', `content is not valid base64 (encoding ${wf.encoding})`);
      }
      bytes = Buffer.from(compact, 'base64');
    }
    if (GZIP.has(wf.encoding)) {
      try {
        gunzipSync(bytes, { maxOutputLength: MAX_GUNZIP });
      } catch (err) {
        report('bad-gzip', `content does not gunzip (encoding ${wf.encoding}): ${(err as Error).message}`);
      }
    }
  });
  return out;
}

// ---- positions ------------------------------------------------------------------

const rangeOf = (n: unknown) => (n && typeof n === 'object' && 'range' in n && Array.isArray(n.range) ? (n.range as number[])[0] : undefined);
/** The key as toJS() spells it in the plain object ajv saw (`~` → ''). */
const keyText = (k: unknown) => (isScalar(k) ? String(k.value ?? '') : undefined);

/**
 * The key or value node at a path in the YAML document (a list item is its own
 * key). A key the walk cannot match (a collection used as a key) falls back to
 * the closest enclosing node, so a diagnostic always has a position.
 */
function locate(doc: Document, path: string[], at: 'key' | 'value', position: (offset: number) => Position): Position | undefined {
  let node: unknown = doc.contents;
  let key: unknown = node;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    const next = isMap(node) ? node.items.find((p) => keyText(p.key) === seg) : undefined;
    if (next) [key, node] = [next.key, next.value];
    else if (isSeq(node) && node.items[Number(seg)]) key = node = node.items[Number(seg)];
    else break;
  }
  const offset = at === 'key' ? rangeOf(key) : rangeOf(node) ?? rangeOf(key);
  return offset === undefined ? { line: 1, column: 1 } : position(offset);
}

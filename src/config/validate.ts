// Validating a cloud-config (pure): text → one YAML document with positions
// and input limits (parse.ts) → keys that are dropped with a warning (RancherOS
// keys ros ignores; in a file, keys only the kernel command line may set) →
// schema (ajv, every error) → rules the schema cannot express (write_files
// content decodes) → diagnostics pointing at the offending key or value.
// Never stops at the first problem and never throws on bad input.
import type { ErrorObject } from 'ajv';
import { gunzipSync } from 'node:zlib';
import type { Diagnostic } from './diagnostic';
import { dropKeys } from './drop-keys';
import { isPlainObject } from './merge';
import { parseConfigText, quote, type Locate, type SourceOf } from './parse';
import schema from './schema.json';
import validateSchema from './schema-validator';
import { closest } from './suggest';
import { IGNORED_RANCHEROS_KEYS } from './rancheros-compat';
import type { RosConfig } from './types';

export type ValidateResult = { ok: true; config: RosConfig; warnings: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

/** Where a layer comes from: a file (os-config, cloud-config.d, user-data…) or one kernel cmdline word. */
export type LayerSource = 'file' | 'cmdline';

const RANGE_KEYWORDS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);
const B64 = new Set(['b64', 'base64', 'gzip+base64', 'gz+base64', 'gzip+b64', 'gz+b64']);
const GZIP = new Set(['gzip', 'gz', 'gzip+base64', 'gz+base64', 'gzip+b64', 'gz+b64']);
const MAX_GUNZIP = 64 * 1024 * 1024; // a config is no place for a gzip bomb

type SchemaNode = { properties?: Record<string, SchemaNode>; $ref?: string; cmdlineOnly?: boolean };

/** Dotted keys marked `@cmdlineOnly` in types.ts (via the schema), e.g. rancher.state. */
export function cmdlineOnlyKeys(root: SchemaNode = schema as SchemaNode): string[] {
  const defs = (schema as { definitions: Record<string, SchemaNode> }).definitions;
  const out: string[] = [];
  const walk = (node: SchemaNode | undefined, path: string[]) => {
    const resolved = node?.$ref ? defs[node.$ref.replace('#/definitions/', '')] : node;
    for (const [key, prop] of Object.entries(resolved?.properties ?? {})) {
      if (prop.cmdlineOnly) out.push([...path, key].join('.'));
      else walk(prop, [...path, key]);
    }
  };
  walk(root, []);
  return out;
}
const CMDLINE_ONLY = cmdlineOnlyKeys();

/** Validates one cloud-config file: its bytes (checked to be UTF-8) or its text. */
export function validateConfig(input: string | Uint8Array, file: string): ValidateResult {
  const parsed = parseConfigText(input, file);
  if (!parsed.ok) return parsed;
  return check(parsed.value, file, parsed.locate, parsed.warnings, 'file', parsed.sourceOf);
}

/** Validates a config that did not come from text (a cmdline word's layer): same codes, no positions. */
export function validateValue(value: unknown, file: string, source: LayerSource = 'cmdline', sourceOf?: SourceOf): ValidateResult {
  if (!isPlainObject(value)) return { ok: false, diagnostics: [{ code: 'not-a-map', message: 'a cloud-config must be a map of keys', file, path: '' }] };
  return check(value, file, () => undefined, [], source, sourceOf);
}

function check(original: Record<string, unknown>, file: string, where: Locate, yamlWarnings: Diagnostic[], source: LayerSource, sourceOf: SourceOf = () => undefined): ValidateResult {
  const at = (path: string[]) => where(path, 'key');
  const ignored = dropKeys(original, IGNORED_RANCHEROS_KEYS, { code: 'ignored-key', message: 'RancherOS key not supported by ros: ignored', file }, at);
  const cmdlineOnly = source === 'file'
    ? dropKeys(ignored.value, CMDLINE_ONLY, { code: 'cmdline-only', message: 'only the kernel command line sets this key (it is read before any file); in a file it has no effect', file }, at)
    : { value: ignored.value, warnings: [] };
  const value = cmdlineOnly.value;
  const byPosition = (a: Diagnostic, b: Diagnostic) => (a.line ?? last) - (b.line ?? last) || (a.column ?? last) - (b.column ?? last);
  const warnings = [...yamlWarnings, ...ignored.warnings, ...cmdlineOnly.warnings].sort(byPosition);
  // Compiled from schema.json at build time, with the options in scripts/gen-schema.ts.
  const validate = validateSchema;
  let valid = validate(value);
  if (!valid && asWritten(value, validate.errors ?? [], sourceOf)) valid = validate(value);
  const errors = valid ? [] : collapseAnyOf(validate.errors ?? []);
  const diagnostics = [...errors.map((e) => fromAjv(e, file, where)), ...contentRule(value, file, where)];
  if (diagnostics.length === 0) return { ok: true, config: value, warnings };
  return { ok: false, diagnostics: diagnostics.sort(byPosition) };
}

/** Unpositioned diagnostics keep their order, after the positioned ones. */
const last = Number.MAX_SAFE_INTEGER;

// ---- schema errors ----------------------------------------------------------

/**
 * Where the schema wants a string and YAML 1.1 read a number or boolean, the
 * value is its text, as go-yaml v2 decoded into a string field (`hostname:
 * 1234` → "1234", `permissions: 0755` → "0755", `password: yes` → "yes");
 * where it wants a boolean and finds the string "true" or "false", the boolean.
 * Returns whether anything changed, so the caller validates again.
 */
function asWritten(value: Record<string, unknown>, errors: ErrorObject[], sourceOf: SourceOf): boolean {
  let changed = false;
  for (const e of errors) {
    const wanted = e.keyword === 'type' ? String(e.params.type).split(',') : [];
    const path = pointer(e.instancePath);
    let text: unknown;
    if (wanted.includes('string') && (typeof e.data === 'number' || typeof e.data === 'boolean')) text = sourceOf(path);
    // `privileged: "true"`: compose and RancherOS took the quoted words for booleans.
    else if (wanted.includes('boolean') && (e.data === 'true' || e.data === 'false')) text = e.data === 'true';
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], value) as Record<string, unknown> | undefined;
    const last = path.at(-1);
    if (text === undefined || parent === undefined || last === undefined) continue;
    parent[last] = text;
    changed = true;
  }
  return changed;
}

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
const show = (v: unknown) => (typeof v === 'string' ? quote(v) : String(v));
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
      return diag('unknown-key', `unknown key ${quote(key)}${hint}`, [...path, key], 'key');
    }
    case 'required': {
      const key = String(e.params.missingProperty);
      return diag('required', `missing required key ${quote(key)}`, path, 'key', [...path, key]); // points at the map that lacks it
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
    case 'pattern': {
      const hint = closest(String(e.data), literalAlternatives(String(e.params.pattern)));
      return diag('pattern', `${show(e.data)} is invalid${note || `: must match ${String(e.params.pattern)}`}${hint ? `; did you mean ${hint}?` : ''}`, path, 'value');
    }
    default:
      if (RANGE_KEYWORDS.has(e.keyword)) return diag('range', `${show(e.data)} is out of range${note}`, path, 'value');
      return diag(e.keyword, e.message ?? e.keyword, path, 'value');
  }
}

/** The plain words of a `^(?:a|b|…)$` pattern (datasource names): what "did you mean" picks from. */
function literalAlternatives(pattern: string): string[] {
  const body = /^\^\(\?:(.*)\)\$$/.exec(pattern)?.[1] ?? '';
  return body.split('|').filter((w) => /^[a-z][a-z0-9_-]*$/.test(w));
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

// Editing a cloud-config document while keeping the user's comments and
// layout (pure). Values given on the command line are parsed as YAML (1.1,
// yaml.ts), and are moved as YAML nodes, not as JS values, so `0755` stays
// `0755` in the file instead of becoming the 493 it means.
import { isAlias, isMap, isScalar, parseDocument, visit, type Document, type Node, type YAMLMap } from 'yaml';
import { isPlainObject } from './merge';
import { YAML_OPTIONS } from './yaml';

export function keyPath(key: string): string[] {
  const parts = key.split('.');
  if (parts.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) {
    throw new Error(`invalid key ${JSON.stringify(key)}: use dotted names like rancher.network.dns.nameservers`);
  }
  return parts;
}

function doc(text: string): Document {
  const d = parseDocument(text, YAML_OPTIONS);
  if (d.errors.length > 0) throw new Error(`the file does not parse: ${d.errors[0]?.message.split('\n')[0]}`);
  if (d.contents === null) d.contents = d.createNode({}) as unknown as typeof d.contents;
  else if (!isMap(d.contents)) throw new Error('the file is not a map of keys');
  return d;
}

/** Sets `key` to `raw` (parsed as YAML) and returns the new text. */
export function setKey(text: string, key: string, raw: string): string {
  const d = doc(text);
  const path = keyPath(key);
  for (let i = 1; i < path.length; i++) {
    const above = d.getIn(path.slice(0, i), true);
    if (above !== undefined && !isMap(above)) {
      throw new Error(`cannot set ${key}: ${path.slice(0, i).join('.')} holds a value, not a map of keys`);
    }
  }
  d.setIn(path, valueNode(d, raw));
  return withHeader(d.toString());
}

/** `raw` as a node of `d`: YAML when it parses (keeping how a number was written), else the text. */
function valueNode(d: Document, raw: string): Node {
  const v = parseDocument(raw, YAML_OPTIONS);
  return v.errors.length > 0 || v.contents === null || hasAlias(v) ? d.createNode(v.errors.length > 0 ? raw : v.toJS() ?? '') : v.contents;
}

/** A node holding an alias cannot move to another document: its anchor stays behind. */
function hasAlias(d: Document): boolean {
  let found = false;
  visit(d, { Alias: () => { found = true; return visit.BREAK; } });
  return found;
}

/** Merges a YAML map into the document; lists are replaced, as in the layers. */
export function mergeInto(text: string, patchText: string): string {
  const patch = doc(patchText);
  if (!isMap(patch.contents)) throw new Error('the input is not a map of keys');
  const d = doc(text);
  const copy = hasAlias(patch) ? (n: unknown) => d.createNode((n as Node).toJS(patch)) : (n: unknown) => n;
  // Key by key, so the comments and order of everything the patch leaves alone survive.
  const apply = (map: YAMLMap, path: string[]) => {
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.source ?? pair.key.value ?? '') : String(pair.key);
      const at = [...path, ...keyPath(key)];
      if (isMap(pair.value) && !isAlias(pair.value) && isMap(d.getIn(at, true))) apply(pair.value, at);
      else d.setIn(at, copy(pair.value));
    }
  };
  apply(patch.contents, []);
  return withHeader(d.toString());
}

function withHeader(body: string): string {
  return body.startsWith('#cloud-config') ? body : `#cloud-config\n${body}`;
}

const SECRET = /(password|passwd|token|secret|private_key|private-key|privatekey|_key$|^key$)/i;

/** Replaces secret values with "<redacted>"; public ssh keys stay (they are public). */
export function redact(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return key === 'ssh_authorized_keys' ? value : value.map((v) => redact(v, key));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  if (key !== 'ssh_authorized_keys' && SECRET.test(key) && value !== undefined && value !== null && value !== '') return '<redacted>';
  if (typeof value === 'string' && /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return '<redacted>';
  return value;
}

/** Sets (true/false) or removes rancher.services_include[ref]; `ref` may hold dots and slashes. */
export function setServiceInclude(text: string, ref: string, value: boolean | undefined): string {
  const d = doc(text);
  const path = ['rancher', 'services_include', ref];
  if (value === undefined) d.deleteIn(path);
  else d.setIn(path, value);
  return withHeader(d.toString());
}

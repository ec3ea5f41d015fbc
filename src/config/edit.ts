// Editing a cloud-config document while keeping the user's comments and
// layout (pure). Values given on the command line are parsed as YAML.
import { isMap, parseDocument, type Document } from 'yaml';
import { parseValue } from './cmdline';
import { isPlainObject } from './merge';

export function keyPath(key: string): string[] {
  const parts = key.split('.');
  if (parts.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) {
    throw new Error(`invalid key ${JSON.stringify(key)}: use dotted names like rancher.network.dns.nameservers`);
  }
  return parts;
}

function doc(text: string): Document {
  const d = parseDocument(text);
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
  d.setIn(path, d.createNode(parseValue(raw)));
  return withHeader(d.toString());
}

/** Merges a YAML map into the document; lists are replaced, as in the layers. */
export function mergeInto(text: string, patchText: string): string {
  const patch = doc(patchText).toJS() as unknown;
  if (!isPlainObject(patch)) throw new Error('the input is not a map of keys');
  const d = doc(text);
  // Key by key, so the comments and order of everything the patch leaves alone survive.
  const apply = (value: Record<string, unknown>, path: string[]) => {
    for (const [k, v] of Object.entries(value)) {
      const at = [...path, ...keyPath(k)];
      if (isPlainObject(v) && isMap(d.getIn(at))) apply(v, at);
      else d.setIn(at, d.createNode(v));
    }
  };
  apply(patch, []);
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

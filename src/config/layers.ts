// Loading one config layer from YAML text (pure), with positions for errors.
import { LineCounter, parseDocument } from 'yaml';
import type { Diagnostic } from './diagnostic';
import { isPlainObject } from './merge';

export type LayerResult = { ok: true; value: Record<string, unknown> } | { ok: false; diagnostics: Diagnostic[] };

export function parseLayer(text: string, file: string): LayerResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      diagnostics: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { code: `yaml-${e.code.toLowerCase()}`, message: e.message.split('\n')[0] ?? e.message, file, path: '', line: pos.line, column: pos.col };
      }),
    };
  }
  const value: unknown = doc.toJS() ?? {};
  if (!isPlainObject(value)) {
    return { ok: false, diagnostics: [{ code: 'not-a-map', message: 'a cloud-config must be a map of keys', file, path: '', line: 1, column: 1 }] };
  }
  return { ok: true, value };
}

// A FetchEnv for datasource tests: every endpoint mapped to a local emulator,
// short timeouts so a missing service fails in a fraction of a second.
import type { FetchEnv } from '../../../src/datasources/cloud-datasource';
import { Deadline, MetadataHttp, type HttpPolicy } from '../../../src/datasources/http';

export const FAST: HttpPolicy = { timeoutMs: 300, tries: 4, backoffMs: 20 };

export interface TestEnv extends FetchEnv {
  notes: string[];
}

/** `urls`: one URL for every endpoint, or a map from the datasource's endpoint to a local URL. */
export function testEnv(urls: string | Record<string, string>, deadlineMs = 2000, extra: Partial<FetchEnv> = {}): TestEnv {
  const deadline = new Deadline(deadlineMs);
  const notes: string[] = [];
  return {
    notes,
    http: (endpoint) => {
      const url = typeof urls === 'string' ? urls : urls[endpoint];
      if (!url) throw new Error(`test: no emulator for ${endpoint}`);
      return new MetadataHttp(url, deadline, FAST);
    },
    note: (m) => notes.push(m),
    ...extra,
  };
}

// cloud-init's MIME multipart user-data (pure): a `multipart/mixed` message
// whose parts each carry a type (text/cloud-config, text/x-shellscript, …).
// Written for the subset cloud-init's tools produce: headers, a boundary,
// base64 / quoted-printable / plain parts, nested multiparts.

export interface MimePart {
  /** Lower-case media type without parameters; a text/plain part is typed by its first line. */
  type: string;
  filename?: string;
  body: Buffer;
}

function splitHead(text: string): { headers: Map<string, string>; body: string } {
  const m = /\r?\n\r?\n/.exec(text);
  const head = m ? text.slice(0, m.index) : text;
  const body = m ? text.slice(m.index + m[0].length) : '';
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return { headers, body };
}

function param(header: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(header);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** Does this user-data start as a MIME message whose type is multipart? */
export function isMultipart(text: string): boolean {
  const { headers } = splitHead(text.slice(0, 4096));
  return /^multipart\//i.test(headers.get('content-type') ?? '');
}

function decode(body: string, encoding: string): Buffer {
  switch (encoding.toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64');
    case 'quoted-printable':
      return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    default:
      return Buffer.from(body, 'utf8');
  }
}

/** What cloud-init infers for untyped text: the first line's marker. */
export function typeByFirstLine(body: Buffer): string {
  const first = body.toString('utf8', 0, Math.min(body.length, 200)).split('\n', 1)[0]?.trim() ?? '';
  if (first.startsWith('#cloud-config')) return 'text/cloud-config';
  if (first.startsWith('#!')) return 'text/x-shellscript';
  if (first.startsWith('#include')) return 'text/x-include-url';
  if (first.startsWith('#cloud-boothook')) return 'text/cloud-boothook';
  if (first.startsWith('#part-handler')) return 'text/part-handler';
  return 'text/plain';
}

/** The leaf parts in order; throws when the message has no boundary or no part. */
export function parseMultipart(text: string, depth = 0): MimePart[] {
  const { headers, body } = splitHead(text);
  const boundary = param(headers.get('content-type') ?? '', 'boundary');
  if (!boundary) throw new Error('multipart user-data without a boundary');
  const parts: MimePart[] = [];
  const chunks = body.split(new RegExp(`(?:^|\\r?\\n)--${boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  // chunks[0] is the preamble; a chunk starting with "--" is the epilogue after the closing boundary.
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break;
    const part = splitHead(chunk.replace(/^[ \t]*\r?\n/, ''));
    const ctype = part.headers.get('content-type') ?? 'text/plain';
    const type = ctype.split(';')[0]?.trim().toLowerCase() ?? 'text/plain';
    if (type.startsWith('multipart/') && depth < 4) {
      parts.push(...parseMultipart(chunk.replace(/^[ \t]*\r?\n/, ''), depth + 1));
      continue;
    }
    const bodyBytes = decode(part.body, part.headers.get('content-transfer-encoding') ?? '7bit');
    const filename = param(part.headers.get('content-disposition') ?? '', 'filename') ?? param(ctype, 'name');
    parts.push({ type: type === 'text/plain' ? typeByFirstLine(bodyBytes) : type, filename, body: bodyBytes });
  }
  if (parts.length === 0) throw new Error('multipart user-data with no parts');
  return parts;
}

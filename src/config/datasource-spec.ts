// Names in rancher.cloud_init.datasources (pure). One parser for both `ros
// config validate` and the boot, so a name the validator accepts is one the
// boot knows.

/** Cloud metadata services (src/datasources/, one module each), RancherOS' names. */
export const CLOUD_NAMES = ['ec2', 'gce', 'digitalocean', 'openstack', 'azure', 'hetzner', 'vultr', 'exoscale', 'aliyun', 'packet'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

const LOCAL_NAMES = ['configdrive', 'nocloud', 'cmdline'] as const;

export type DatasourceSpec =
  | { kind: 'auto' }
  | { kind: 'configdrive' }
  | { kind: 'nocloud' }
  | { kind: 'cmdline' }
  /** `auto`: put in the list by DMI detection, not named by the user (it gets the shorter deadline). */
  | { kind: 'cloud'; name: CloudName; auto?: true }
  | { kind: 'url'; url: string }
  | { kind: 'file'; path: string };

/** No setting: the local media, then whichever clouds DMI points at. */
export const DEFAULT_DATASOURCES = ['auto'];

/** Every plain name, and the two forms with an argument: for messages and "did you mean". */
export const DATASOURCE_NAMES: readonly string[] = ['auto', ...LOCAL_NAMES, ...CLOUD_NAMES];
export const DATASOURCE_FORMS = [...DATASOURCE_NAMES, 'url:<http…>', 'file:<path>'];

const isCloud = (s: string): s is CloudName => (CLOUD_NAMES as readonly string[]).includes(s);

/** `auto`, a local or cloud name, `url:<http…>`, `file:<path>`; null for anything else. */
export function parseDatasource(spec: string): DatasourceSpec | null {
  if (spec === 'auto' || spec === 'configdrive' || spec === 'nocloud' || spec === 'cmdline') return { kind: spec };
  if (isCloud(spec)) return { kind: 'cloud', name: spec };
  if (spec.startsWith('url:') && /^https?:\/\//.test(spec.slice(4))) return { kind: 'url', url: spec.slice(4) };
  if (spec.startsWith('file:') && spec.slice(5).startsWith('/')) return { kind: 'file', path: spec.slice(5) };
  return null;
}

/**
 * The list the boot tries, in order: `auto` stands for configdrive, nocloud
 * and then the clouds DMI detected (a config drive wins over the HTTP service
 * of the same cloud); repeats are tried once.
 */
export function expandDatasources(specs: DatasourceSpec[], detected: readonly CloudName[]): DatasourceSpec[] {
  const out: DatasourceSpec[] = [];
  const seen = new Set<string>();
  const add = (s: DatasourceSpec) => {
    const key = specName(s);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(s);
  };
  for (const s of specs) {
    if (s.kind !== 'auto') add(s);
    else [{ kind: 'configdrive' } as const, { kind: 'nocloud' } as const, ...detected.map((name) => ({ kind: 'cloud', name, auto: true }) as const)].forEach(add);
  }
  return out;
}

export function specName(s: DatasourceSpec): string {
  switch (s.kind) {
    case 'cloud': return s.name;
    case 'url': return `url:${s.url}`;
    case 'file': return `file:${s.path}`;
    default: return s.kind;
  }
}

/** The URL of a `cloud-config-url=` cmdline word, if any. */
export function cmdlineUserDataUrl(words: string[]): string | null {
  const w = words.find((x) => x.startsWith('cloud-config-url='));
  return w ? w.slice('cloud-config-url='.length) : null;
}

// Generates src/config/schema.json, the validator ajv compiles from it
// (src/config/schema-validator.js, so no boot pays for compiling the schema)
// and docs/cloud-config.md from the types in src/config/types.ts and
// src/config/service-types.ts: the types are the one source of truth.
//   npx tsx scripts/gen-schema.ts           write the three files
//   npx tsx scripts/gen-schema.ts --check   exit 1 naming any stale file
// The type walk is syntactic (type nodes, not the checker): it supports exactly
// the shapes cloud-config types use and throws, naming the spot, on any other.
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DATASOURCE_FORMS, DATASOURCE_NAMES } from '../src/config/datasource-spec';
import { Node, Project, SyntaxKind, type InterfaceDeclaration, type TypeAliasDeclaration, type TypeNode } from 'ts-morph';
import { compatPage } from './rancheros-keys';

type Schema = { [key: string]: unknown };
type Decl = InterfaceDeclaration | TypeAliasDeclaration;

const ROOT = resolve(__dirname, '..');
const TYPE_FILES = ['src/config/types.ts', 'src/config/service-types.ts'];
const ROOT_TYPE = 'RosConfig';
export const OUTPUTS = { schema: 'src/config/schema.json', validator: 'src/config/schema-validator.js', docs: 'docs/cloud-config.md', compat: 'docs/rancheros-compat.md' } as const;
const INTRO = 'docs/cloud-config.intro.md';
const EXAMPLES: { file: string; title: string }[] = [
  { file: 'docs/examples/rancheros.yml', title: 'A RancherOS-style node' },
  { file: 'docs/examples/services.yml', title: 'Custom system and user services' },
  { file: 'docs/examples/static-network.yml', title: 'Static network, sysctl and logging' },
  { file: 'docs/examples/bonded-network.yml', title: 'Bond, VLANs, bridge, hooks and IPv6' },
];

const CMDLINE_ONLY_NOTE = 'Kernel command line only (`rancher.…=value`): a file that sets it gets a warning and the key is ignored.';

const IPV4 = '(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV6 = '(?=[0-9A-Fa-f:.]*:)[0-9A-Fa-f:.]{2,45}'; // loose: hex digits, colons, an optional dotted tail
const CIDR = `^(?:${IPV4}/(?:3[0-2]|[12]?[0-9])|${IPV6}/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9]))$`;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';

/**
 * What the types cannot say, keyed by path: `a.b` properties, `[]` list items,
 * `*` map values. A path that no longer resolves, or that would constrain a
 * definition used in more than one place, fails the generation.
 */
/** Go-style durations, as docker-compose takes them. */
const DURATION = '^(?:\\d+(?:\\.\\d+)?(?:ns|us|ms|s|m|h))+$';

const CONSTRAINTS: { path: string; schema: Schema; note: string }[] = [
  { path: 'hostname', schema: { pattern: `^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*$` }, note: 'Must be an RFC 1123 name: letters, digits and `-` in dot-separated labels.' },
  { path: 'write_files[].path', schema: { pattern: '^/' }, note: 'Must start with `/`.' },
  { path: 'write_files[].permissions', schema: { pattern: '^0?[0-7]{3,4}$' }, note: 'Must be 3 or 4 octal digits, quoted (`"0644"`).' },
  { path: 'rancher.ssh.port', schema: { minimum: 1, maximum: 65535 }, note: 'Must be 1–65535.' },
  { path: 'rancher.shutdown_timeout', schema: { minimum: 0 }, note: 'Must not be negative.' },
  { path: 'rancher.state.wait', schema: { minimum: 0 }, note: 'Must not be negative.' },
  { path: 'rancher.network.interfaces.*.address', schema: { pattern: CIDR }, note: 'Must be an IPv4 or IPv6 address with a `/prefix`.' },
  { path: 'rancher.network.interfaces.*.addresses[]', schema: { pattern: CIDR }, note: 'Each must be an IPv4 or IPv6 address with a `/prefix`.' },
  { path: 'rancher.network.interfaces.*.gateway', schema: { pattern: `^(?:${IPV4}|${IPV6})$` }, note: 'Must be an IPv4 or IPv6 address.' },
  { path: 'rancher.network.interfaces.*.gateway_ipv6', schema: { pattern: `^${IPV6}$` }, note: 'Must be an IPv6 address.' },
  {
    path: 'rancher.cloud_init.datasources[]',
    schema: { pattern: `^(?:${DATASOURCE_NAMES.join('|')}|url:https?://.+|file:/.*)$` },
    note: `Must be one of ${DATASOURCE_FORMS.map((f) => `\`${f}\``).join(', ')}.`,
  },
  { path: 'rancher.network.interfaces.*.mtu', schema: { minimum: 68, maximum: 65535 }, note: 'Must be 68–65535.' },
  { path: 'rancher.network.dhcp_timeout', schema: { minimum: 0 }, note: 'Must not be negative.' },
  ...['interval', 'timeout', 'start_period'].map((k) => ({
    path: `rancher.services.*.healthcheck.${k}`, schema: { pattern: DURATION }, note: 'A duration such as `30s`, `1m30s` or `500ms`.',
  })),
  { path: 'rancher.services.*.healthcheck.retries', schema: { minimum: 1 }, note: 'At least 1.' },
  { path: 'rancher.upgrade.interval', schema: { pattern: '^(?:[0-9]+[smhd])+$' }, note: 'A duration such as `1h`, `30m`, `1h30m` or `1d`.' },
  {
    path: 'rancher.upgrade.window',
    schema: { pattern: '^\\s*(?:(?:daily|(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat)(?:,(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat))*)\\s+)?(?:[01][0-9]|2[0-3]):[0-5][0-9]-(?:[01][0-9]|2[0-3]):[0-5][0-9]\\s*$' },
    note: '`[DAYS] HH:MM-HH:MM` in UTC: `Sun 02:00-04:00`, `Sat,Sun 23:00-01:00`, `daily 02:00-04:00`.',
  },
  { path: 'rancher.swarm.cluster_secret', schema: { minLength: 16 }, note: 'At least 16 characters (`ros swarm secret` makes 43).' },
  { path: 'rancher.network.dns.nameservers[]', schema: { pattern: `^(?:${IPV4}|${IPV6})$` }, note: 'IPv4 or IPv6 addresses only.' },
];

// ---- types → schema ---------------------------------------------------------

function where(node: Node): string {
  return `${node.getSourceFile().getFilePath()}:${node.getStartLineNumber()}`;
}

function doc(node: Node, what: string): string {
  const jsDocs = Node.isJSDocable(node) ? node.getJsDocs() : [];
  const text = jsDocs.at(-1)?.getDescription().replace(/\s+/g, ' ').trim();
  if (!text) throw new Error(`${where(node)}: ${what} has no doc comment; every key needs one`);
  return text;
}

class Generator {
  readonly definitions: Record<string, Schema> = {};
  private readonly decls = new Map<string, Decl>();

  constructor(root: string) {
    const project = new Project({ skipAddingFilesFromTsConfig: true, compilerOptions: {} });
    for (const file of TYPE_FILES) {
      const source = project.addSourceFileAtPath(join(root, file));
      for (const d of [...source.getInterfaces(), ...source.getTypeAliases()]) this.decls.set(d.getName(), d);
    }
  }

  rootSchema(): Schema {
    // Definitions stay in the order the walk first meets them: the reading order of the docs.
    const { description, ...body } = this.declSchema(ROOT_TYPE);
    return {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $comment: `Generated by scripts/gen-schema.ts from ${TYPE_FILES.join(' and ')}; do not edit.`,
      title: ROOT_TYPE,
      description,
      ...body,
      definitions: this.definitions,
    };
  }

  private ref(name: string): Schema {
    if (!(name in this.definitions)) {
      this.definitions[name] = {}; // placeholder first: recursive types terminate
      this.definitions[name] = this.declSchema(name);
    }
    return { $ref: `#/definitions/${name}` };
  }

  private declSchema(name: string): Schema {
    const decl = this.decls.get(name);
    if (!decl) throw new Error(`type ${name} is not declared in ${TYPE_FILES.join(' or ')}`);
    const description = doc(decl, `type ${name}`);
    if (Node.isTypeAliasDeclaration(decl)) return { description, ...this.typeSchema(decl.getTypeNodeOrThrow()) };
    if (decl.getExtends().length > 0 || decl.getIndexSignatures().length > 0 || decl.getMethods().length > 0) {
      throw new Error(`${where(decl)}: ${name}: only plain properties are supported`);
    }
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const prop of decl.getProperties()) {
      const key = prop.getName();
      // `@cmdlineOnly`: read before any file (the state disk, the console's autologin); validate.ts warns when a file sets it.
      const cmdlineOnly = prop.getJsDocs().some((d) => d.getTags().some((t) => t.getTagName() === 'cmdlineOnly'));
      const description = doc(prop, `${name}.${key}`) + (cmdlineOnly ? ` ${CMDLINE_ONLY_NOTE}` : '');
      properties[key] = { description, ...this.typeSchema(prop.getTypeNodeOrThrow()), ...(cmdlineOnly ? { cmdlineOnly: true } : {}) };
      if (!prop.hasQuestionToken()) required.push(key);
    }
    return { description, type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
  }

  private typeSchema(node: TypeNode): Schema {
    switch (node.getKind()) {
      case SyntaxKind.StringKeyword: return { type: 'string' };
      case SyntaxKind.NumberKeyword: return { type: 'number' };
      case SyntaxKind.BooleanKeyword: return { type: 'boolean' };
      case SyntaxKind.NullKeyword: return { type: 'null' };
    }
    if (Node.isParenthesizedTypeNode(node)) return this.typeSchema(node.getTypeNode());
    if (Node.isArrayTypeNode(node)) return { type: 'array', items: this.typeSchema(node.getElementTypeNode()) };
    if (Node.isLiteralTypeNode(node)) {
      const lit = node.getLiteral();
      if (lit.getKind() === SyntaxKind.NullKeyword) return { type: 'null' };
      if (Node.isStringLiteral(lit)) return { enum: [lit.getLiteralValue()] };
    }
    if (Node.isUnionTypeNode(node)) return this.unionSchema(node.getTypeNodes());
    if (Node.isTypeReference(node)) {
      const name = node.getTypeName().getText();
      const args = node.getTypeArguments();
      if (name === 'Record' && args[0]?.getKind() === SyntaxKind.StringKeyword && args[1]) {
        return { type: 'object', additionalProperties: this.typeSchema(args[1]) };
      }
      if (args.length === 0) return this.ref(name);
    }
    throw new Error(`${where(node)}: unsupported type \`${node.getText()}\``);
  }

  /** `'a' | 'b'` → enum; `string | number` → a type list; anything else → anyOf. */
  private unionSchema(members: TypeNode[]): Schema {
    const schemas = members.map((m) => this.typeSchema(m));
    const isEnum = (s: Schema) => Object.keys(s).length === 1 && Array.isArray(s.enum);
    const isPlainType = (s: Schema) => Object.keys(s).length === 1 && typeof s.type === 'string';
    if (schemas.every(isEnum)) return { enum: schemas.flatMap((s) => s.enum as unknown[]) };
    if (schemas.every(isPlainType)) return { type: [...new Set(schemas.map((s) => s.type as string))] };
    return { anyOf: schemas };
  }
}

function applyConstraints(schema: Schema): void {
  const defs = schema.definitions as Record<string, Schema>;
  const text = JSON.stringify(schema);
  for (const c of CONSTRAINTS) {
    let node: Schema | undefined = schema;
    let owner: Schema | undefined; // the property the note is shown with in the docs
    for (const seg of c.path.split('.')) {
      const [, key = '', lists = ''] = /^([^[]*)((?:\[\])*)$/.exec(seg) ?? [];
      const steps = [...(key ? [key] : []), ...Array<string>(lists.length / 2).fill('[]')];
      for (const step of steps) {
        while (node && typeof node.$ref === 'string') {
          const name = node.$ref.replace('#/definitions/', '');
          if (text.split(`"${node.$ref}"`).length > 2) throw new Error(`constraint ${c.path}: ${name} is used in several places`);
          node = defs[name];
        }
        const next: unknown = step === '[]' ? node?.items : step === '*' ? node?.additionalProperties : (node?.properties as Record<string, Schema> | undefined)?.[step];
        node = typeof next === 'object' && next !== null ? (next as Schema) : undefined;
        if (step !== '[]' && step !== '*') owner = node;
      }
    }
    if (!node || !owner) throw new Error(`constraint ${c.path}: no such key in the types`);
    if ('$ref' in node) throw new Error(`constraint ${c.path}: constrain the keys of ${String(node.$ref)} instead`);
    Object.assign(node, c.schema, { $comment: c.note }); // validate.ts words its message with the note
    owner.description = `${String(owner.description)} ${c.note}`;
  }
}

export function buildSchema(root = ROOT): Schema {
  const schema = new Generator(root).rootSchema();
  applyConstraints(schema);
  return schema;
}

// ---- schema → docs ----------------------------------------------------------

const anchor = (name: string) => `#${name.toLowerCase()}`;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** `list of string`, `map of (string or number)`, `one of \`a\`, \`b\``, links to definitions. */
function typeLabel(s: Schema, nested = false): string {
  const alternatives = (parts: string[]) => (nested && parts.length > 1 ? `(${parts.join(' or ')})` : parts.join(' or '));
  if (typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/definitions/', '');
    return `[${name}](${anchor(name)})`;
  }
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => `\`${String(v)}\``).join(', ')}`;
  if (Array.isArray(s.anyOf)) return alternatives((s.anyOf as Schema[]).map((a) => typeLabel(a, true)));
  if (Array.isArray(s.type)) return alternatives(s.type as string[]);
  if (s.type === 'array') return `list of ${typeLabel(s.items as Schema, true)}`;
  if (s.type === 'object' && typeof s.additionalProperties === 'object') return `map of ${typeLabel(s.additionalProperties as Schema, true)}`;
  return String(s.type);
}

function objectTable(s: Schema): string[] {
  const required = new Set((s.required as string[] | undefined) ?? []);
  const rows = Object.entries(s.properties as Record<string, Schema>).map(
    ([key, p]) => `| \`${key}\`${required.has(key) ? ' (required)' : ''} | ${cell(typeLabel(p))} | ${cell(String(p.description))} |`,
  );
  return ['| key | type | description |', '|---|---|---|', ...rows];
}

export function buildDocs(schema: Schema, root = ROOT): string {
  const defs = schema.definitions as Record<string, Schema>;
  const out = [
    '<!-- Generated by scripts/gen-schema.ts; do not edit. -->',
    readFileSync(join(root, INTRO), 'utf8').trimEnd(),
    '',
    '## Examples',
    '',
  ];
  for (const ex of EXAMPLES) {
    out.push(`### ${ex.title}`, '', '```yaml', readFileSync(join(root, ex.file), 'utf8').trimEnd(), '```', '');
  }
  out.push('## Keys', '', `### ${ROOT_TYPE}`, '', String(schema.description), '', ...objectTable(schema), '');
  for (const name of Object.keys(defs)) {
    const d = defs[name] as Schema;
    out.push(`### ${name}`, '', String(d.description), '');
    out.push(...(d.properties ? objectTable(d) : [`Type: ${typeLabel({ ...d, description: undefined })}.`]), '');
  }
  out.push(
    '## RancherOS keys',
    '',
    'RancherOS keys ros does not implement never fail a file: each is dropped with a warning naming',
    'it and its line. [rancheros-compat.md](rancheros-compat.md) lists every RancherOS key and label',
    'with what ros does with it.',
    '',
  );
  return `${out.join('\n').trimEnd()}\n`;
}

// ---- outputs ----------------------------------------------------------------

/**
 * The schema compiled by ajv into a CommonJS module (ajv's standalone code),
 * which src/config/validate.ts loads instead of compiling at every boot.
 * allErrors and verbose (each error carries the data and the schema) are what
 * the diagnostics are made from; allowUnionTypes: `type: [string, number]` is
 * intended; `cmdlineOnly` marks keys of types.ts that only the kernel cmdline
 * sets and validates nothing.
 */
export function validatorCode(schema: Schema): string {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true, keywords: ['cmdlineOnly'], code: { source: true } });
  const head = `// Generated by scripts/gen-schema.ts from ${OUTPUTS.schema}: do not edit.\n`;
  return `${head}${standaloneCode(ajv, ajv.compile(schema))}\n`;
}

/** The generated files, relative path → content. */
export function generate(root = ROOT): Record<string, string> {
  const schema = buildSchema(root);
  return {
    [OUTPUTS.schema]: `${JSON.stringify(schema, null, 2)}\n`,
    [OUTPUTS.validator]: validatorCode(schema),
    [OUTPUTS.docs]: buildDocs(schema, root),
    [OUTPUTS.compat]: compatPage(schema),
  };
}

function main(argv: string[]): number {
  const check = argv.includes('--check');
  let stale = 0;
  for (const [file, content] of Object.entries(generate())) {
    const path = join(ROOT, file);
    if (existsSync(path) && readFileSync(path, 'utf8') === content) continue;
    if (check) {
      console.error(`${file} is stale: run npx tsx scripts/gen-schema.ts`);
      stale++;
    } else {
      writeFileSync(path, content);
      console.log(`wrote ${file}`);
    }
  }
  return stale > 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

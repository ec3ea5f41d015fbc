import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTPUTS, buildSchema, generate, validatorCode } from '../../../scripts/gen-schema';
import { validateConfig } from '../../../src/config/validate';

const repo = join(__dirname, '..', '..', '..');
type Schema = { [key: string]: unknown };

describe('generated schema and docs', () => {
  const generated = generate();

  for (const file of Object.values(OUTPUTS)) {
    it(`${file} is up to date (npx tsx scripts/gen-schema.ts)`, () => {
      assert.equal(readFileSync(join(repo, file), 'utf8'), generated[file]);
    });
  }

  it(`${OUTPUTS.validator} is compiled from the committed ${OUTPUTS.schema}`, () => {
    const committed = JSON.parse(readFileSync(join(repo, OUTPUTS.schema), 'utf8')) as Schema;
    assert.equal(readFileSync(join(repo, OUTPUTS.validator), 'utf8'), validatorCode(committed));
  });

  it('closes every object and documents every key', () => {
    const problems: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const s = node as Schema;
      if (s.properties && s.additionalProperties !== false) problems.push(`${at}: additionalProperties is not false`);
      for (const [key, prop] of Object.entries((s.properties ?? {}) as Record<string, Schema>)) {
        if (typeof prop.description !== 'string' || prop.description === '') problems.push(`${at}/properties/${key}: no description`);
      }
      for (const [k, v] of Object.entries(s)) walk(v, `${at}/${k}`);
    };
    walk(JSON.parse(generated[OUTPUTS.schema] ?? '{}'), '#');
    assert.deepEqual(problems, []);
  });

  it('maps the RancherOS shapes', () => {
    const schema = buildSchema();
    const defs = schema.definitions as Record<string, Schema>;
    const props = (name: string) => (defs[name]?.properties ?? {}) as Record<string, Schema>;
    assert.deepEqual(props('ComposeService').labels?.anyOf, [
      { type: 'object', additionalProperties: { type: 'string' } },
      { type: 'array', items: { type: 'string' } },
    ]);
    assert.deepEqual(defs.ComposeService?.required, ['image']);
    assert.deepEqual(props('RancherConfig').sysctl?.additionalProperties, { type: ['string', 'number'] });
    assert.deepEqual((props('WriteFile').encoding?.enum as string[]).slice(0, 2), ['b64', 'base64']);
    assert.equal(props('SshConfig').port?.maximum, 65535);
    assert.deepEqual(props('RancherConfig').services, { description: props('RancherConfig').services?.description, $ref: '#/definitions/ServiceMap' });
  });

  it('every yaml example in the docs validates', () => {
    const docs = generated[OUTPUTS.docs] ?? '';
    const examples = [...docs.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    assert.ok(examples.length >= 2, 'docs have examples');
    for (const [i, text] of examples.entries()) {
      const r = validateConfig(text, `docs example ${i + 1}`);
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(r.warnings, []);
    }
  });

  it('refuses a key without a doc comment', () => {
    const root = mkdtempSync(join(tmpdir(), 'gen-schema-'));
    try {
      cpSync(join(repo, 'src/config'), join(root, 'src/config'), { recursive: true });
      const types = join(root, 'src/config/types.ts');
      const undocumented = readFileSync(types, 'utf8').replace(/\n *\/\*\*[^\n]*\*\/\n( *hostname\?:)/, '\n$1');
      assert.match(undocumented, /\{\n *hostname\?:/);
      writeFileSync(types, undocumented);
      assert.throws(() => buildSchema(root), /RosConfig\.hostname has no doc comment/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

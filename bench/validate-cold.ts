// Cold cost of the first cloud-config validation, as init pays it at boot:
// a fresh Node process loads the validator and validates one typical config.
// src/config/validate.ts is bundled the way scripts/build-sea.mjs bundles ros
// (esbuild, CommonJS, whitespace minified), then run N times in fresh
// processes; the medians are printed. Run: `npx tsx bench/validate-cold.ts [N]`.
// ROS_SRC=DIR measures another tree's src/config (e.g. `git archive` of main).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = resolve(__dirname, '..');
const N = Number(process.argv[2] ?? 20);
const SRC = resolve(process.env.ROS_SRC ?? ROOT);
const CONFIG = join(ROOT, 'test/unit/config/fixtures/rancheros-cloud-config.yml');

// Timed inside the child: loading the module (and ajv with it), then the first validation.
const PROBE = `
const t0 = performance.now();
const { validateConfig } = require(${JSON.stringify(join(SRC, 'src/config/validate.ts'))});
const t1 = performance.now();
const r = validateConfig(require('node:fs').readFileSync(process.argv[2]), 'cloud-config.yml');
const t2 = performance.now();
if (!r.ok) throw new Error('the typical config should be valid');
process.stdout.write(JSON.stringify({ load: t1 - t0, validate: t2 - t1, total: t2 - t0 }));
`;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

const work = mkdtempSync(join(tmpdir(), 'ros-validate-cold-'));
try {
  writeFileSync(join(work, 'probe.ts'), PROBE);
  const bundle = join(work, 'probe.cjs');
  buildSync({ entryPoints: [join(work, 'probe.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, minifyWhitespace: true, logLevel: 'warning' });
  const runs: { load: number; validate: number; total: number; wall: number }[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bundle, CONFIG], { encoding: 'utf8' });
    const wall = performance.now() - t;
    if (r.status !== 0) throw new Error(`probe failed: ${r.stderr}`);
    runs.push({ ...(JSON.parse(r.stdout) as { load: number; validate: number; total: number }), wall });
  }
  const ms = (k: keyof (typeof runs)[number]) => median(runs.map((r) => r[k])).toFixed(1);
  process.stdout.write(`validator bundle ${(statSync(bundle).size / 1024).toFixed(0)} KiB, ${readFileSync(CONFIG).length} B config, N=${N}, medians:\n`);
  process.stdout.write(`  load ${ms('load')} ms + first validation ${ms('validate')} ms = ${ms('total')} ms; whole process ${ms('wall')} ms\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

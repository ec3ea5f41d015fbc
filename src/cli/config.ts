// `ros config …`: read and change the node's cloud-config. Writes go to
// /var/lib/rancher/conf/cloud-config.yml, validated first and written atomically.
import { existsSync, readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { stringify as toYaml } from 'yaml';
import { YAML_OPTIONS } from '../config/yaml';
import { formatDiagnostic, type Diagnostic } from '../config/diagnostic';
import { layerFiles, loadConfig, readConfigFile } from '../config/load';
import { getPath } from '../config/merge';
import { keyPath, mergeInto, redact, setKey } from '../config/edit';
import { readCmdline } from '../config/node';
import { LIMITS } from '../config/parse';
import { validateConfig } from '../config/validate';
import { json, stdout, type Out } from './output';
import { failOn, nodeConfig, requireNode, target, writeValidated, type Target } from './node';

function printValue(value: unknown, out: Out, asJson: boolean): void {
  if (asJson) return json(value ?? null, out);
  if (value === undefined || value === null) return;
  out.write(typeof value === 'object' ? toYaml(value, YAML_OPTIONS) : `${String(value)}\n`);
}

/** stdin, but no more of it than a config may hold (the rest is never read). */
async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of process.stdin) {
    chunks.push(c as Buffer);
    size += (c as Buffer).length;
    if (size > LIMITS.bytes) break;
  }
  return Buffer.concat(chunks);
}

const current = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
const printWarnings = (warnings: Diagnostic[]) => {
  for (const w of warnings) process.stderr.write(`${formatDiagnostic(w, 'warning')}\n`);
};

const jsonOpt = (a: Argv) => a.option('json', { type: 'boolean', describe: 'Print JSON' });

export interface ValidateReport {
  valid: boolean;
  files: string[];
  diagnostics: Diagnostic[];
  warnings: Diagnostic[];
}

/** Every layer of the node: its files in merge order and its kernel cmdline words. */
function validateNode(t: Target): ValidateReport {
  const files = layerFiles(t.paths).filter((f) => existsSync(f));
  const cmdline = readCmdline(t.paths);
  const report: ValidateReport = { valid: true, files, diagnostics: [...cmdline.dropped], warnings: [...cmdline.warnings] };
  if (files.length === 0 && cmdline.layers.length === 0 && cmdline.dropped.length === 0) {
    report.diagnostics.push({ code: 'no-config', message: `no config layers to validate: none of ${layerFiles(t.paths).join(', ')} exists, and the kernel cmdline sets nothing`, file: t.paths.root, path: '' });
  }
  for (const file of files) {
    const read = readConfigFile(file);
    const r = 'diagnostic' in read ? { ok: false as const, diagnostics: [read.diagnostic] } : validateConfig(read.bytes, file);
    if (r.ok) report.warnings.push(...r.warnings);
    else report.diagnostics.push(...r.diagnostics);
  }
  report.valid = report.diagnostics.length === 0;
  return report;
}

async function validateInput(input: string): Promise<ValidateReport> {
  const name = input === '-' ? '<stdin>' : input;
  let r: ReturnType<typeof validateConfig>;
  if (input === '-') {
    r = validateConfig(await readStdin(), name);
  } else {
    const read = readConfigFile(input);
    r = 'diagnostic' in read ? { ok: false, diagnostics: [read.diagnostic] } : validateConfig(read.bytes, name);
  }
  return r.ok ? { valid: true, files: [name], diagnostics: [], warnings: r.warnings } : { valid: false, files: [name], diagnostics: r.diagnostics, warnings: [] };
}

export const configCommand: CommandModule = {
  command: 'config <command>',
  aliases: ['c'],
  describe: 'Read and change the cloud-config',
  builder: (y: Argv) =>
    y
      .command({
        command: 'get <key>',
        describe: 'Print the value in force of a dotted key (e.g. rancher.network.dns)',
        builder: jsonOpt,
        handler: (args) => {
          const key = String(args.key);
          keyPath(key);
          printValue(getPath(nodeConfig(target(args)), key), stdout, Boolean(args.json));
        },
      })
      .command({
        command: 'set <key> <value>',
        describe: 'Set a key in cloud-config.yml (value parsed as YAML); refused if the result is invalid',
        handler: (args) => {
          const t = target(args);
          requireNode('ros config set', t);
          const file = t.paths.cloudConfig;
          printWarnings(writeValidated(setKey(current(file), String(args.key), String(args.value)), file));
        },
      })
      .command({
        command: 'merge',
        describe: 'Merge YAML from stdin into cloud-config.yml; refused if the result is invalid',
        builder: (a: Argv) => a.option('input', { alias: 'i', type: 'string', describe: 'Read from this file instead of stdin' }),
        handler: async (args) => {
          const t = target(args);
          requireNode('ros config merge', t);
          const file = t.paths.cloudConfig;
          const name = args.input ? String(args.input) : '<stdin>';
          const read = args.input ? readConfigFile(String(args.input)) : { bytes: await readStdin() };
          const checked = 'diagnostic' in read ? { ok: false as const, diagnostics: [read.diagnostic] } : validateConfig(read.bytes, name);
          if (!checked.ok) failOn(checked.diagnostics, 'refused: the input is not a valid cloud-config');
          if ('diagnostic' in read) return;
          printWarnings(writeValidated(mergeInto(current(file), read.bytes.toString('utf8')), file));
        },
      })
      .command({
        command: 'export',
        describe: 'Print cloud-config.yml (--full: every layer merged); secrets redacted unless --private',
        builder: (a: Argv) =>
          jsonOpt(a)
            .option('private', { type: 'boolean', describe: 'Include passwords, tokens and private keys' })
            .option('full', { type: 'boolean', describe: 'The merged config of all layers, defaults included' }),
        handler: (args) => {
          const t = target(args);
          const value = args.full ? nodeConfig(t) : loadConfig({ osConfig: '/nonexistent', cloudConfigDir: '/nonexistent', cloudConfig: t.paths.cloudConfig }).config;
          const shown = args.private ? value : redact(value);
          if (args.json) json(shown, stdout);
          else stdout.write(`#cloud-config\n${toYaml(shown, YAML_OPTIONS)}`);
        },
      })
      .command({
        command: 'validate',
        describe: 'Validate a cloud-config (default: every layer of this node, cmdline included); every error and warning with its line; exit 1 when invalid',
        builder: (a: Argv) => jsonOpt(a).option('input', { alias: 'i', type: 'string', describe: 'File to validate ("-" for stdin)' }),
        handler: async (args) => {
          const report = args.input ? await validateInput(String(args.input)) : validateNode(target(args));
          if (args.json) json(report, stdout);
          else {
            for (const d of report.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
            printWarnings(report.warnings);
            const warned = report.warnings.length > 0 ? ` (${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'})` : '';
            if (report.valid) stdout.write(`valid${warned}: ${report.files.join(', ')}\n`);
          }
          if (!report.valid) throw Object.assign(new Error(`${report.diagnostics.length} error(s)`), { quiet: true, exitCode: 1 });
        },
      })
      .demandCommand(1, 'name a config command'),
  handler: () => {},
};

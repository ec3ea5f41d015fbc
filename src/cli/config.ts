// `ros config …`: read and change the node's cloud-config. Writes go to
// /var/lib/rancher/conf/cloud-config.yml, validated first and written atomically.
import { existsSync, readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { stringify as toYaml } from 'yaml';
import { formatDiagnostic, type Diagnostic } from '../config/diagnostic';
import { loadConfig } from '../config/load';
import { getPath } from '../config/merge';
import { keyPath, mergeInto, redact, setKey } from '../config/edit';
import { validateConfig } from '../config/validate';
import { json, stdout, type Out } from './output';
import { cmdlineLayers, configPaths, current, failOn, writeValidated } from './node-config';

function printValue(value: unknown, out: Out, asJson: boolean): void {
  if (asJson) return json(value ?? null, out);
  if (value === undefined || value === null) return;
  out.write(typeof value === 'object' ? toYaml(value) : `${String(value)}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const jsonOpt = (a: Argv) => a.option('json', { type: 'boolean', describe: 'Print JSON' });

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
          const { config } = loadConfig({ ...configPaths(), cmdlineLayers: cmdlineLayers() });
          printValue(getPath(config, key), stdout, Boolean(args.json));
        },
      })
      .command({
        command: 'set <key> <value>',
        describe: 'Set a key in cloud-config.yml (value parsed as YAML); refused if the result is invalid',
        handler: (args) => {
          const file = configPaths().cloudConfig;
          writeValidated(setKey(current(file), String(args.key), String(args.value)), file);
        },
      })
      .command({
        command: 'merge',
        describe: 'Merge YAML from stdin into cloud-config.yml; refused if the result is invalid',
        builder: (a: Argv) => a.option('input', { alias: 'i', type: 'string', describe: 'Read from this file instead of stdin' }),
        handler: async (args) => {
          const file = configPaths().cloudConfig;
          const patch = args.input ? readFileSync(String(args.input), 'utf8') : await readStdin();
          const checked = validateConfig(patch, args.input ? String(args.input) : '<stdin>');
          if (!checked.ok) failOn(checked.diagnostics, 'refused: the input is not a valid cloud-config');
          writeValidated(mergeInto(current(file), patch), file);
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
          const paths = configPaths();
          const value = args.full
            ? loadConfig({ ...paths, cmdlineLayers: cmdlineLayers() }).config
            : loadConfig({ osConfig: '/nonexistent', cloudConfigDir: '/nonexistent', cloudConfig: paths.cloudConfig }).config;
          const shown = args.private ? value : redact(value);
          if (args.json) json(shown, stdout);
          else stdout.write(`#cloud-config\n${toYaml(shown)}`);
        },
      })
      .command({
        command: 'validate',
        describe: 'Validate a cloud-config (default: every layer on this node); lists every error, exit 1 when invalid',
        builder: (a: Argv) => jsonOpt(a).option('input', { alias: 'i', type: 'string', describe: 'File to validate ("-" for stdin)' }),
        handler: async (args) => {
          const files = args.input ? [String(args.input)] : (() => {
            const p = configPaths();
            const dropIns = existsSync(p.cloudConfigDir) ? loadConfig({ ...p, osConfig: '/nonexistent' }).sources : [];
            return [p.osConfig, ...dropIns, p.cloudConfig].filter((f, i, all) => existsSync(f) && all.indexOf(f) === i);
          })();
          const diagnostics: Diagnostic[] = [];
          for (const f of files) {
            const text = f === '-' ? await readStdin() : readFileSync(f, 'utf8');
            const r = validateConfig(text, f === '-' ? '<stdin>' : f);
            if (!r.ok) diagnostics.push(...r.diagnostics);
          }
          if (args.json) json({ valid: diagnostics.length === 0, files, diagnostics }, stdout);
          else if (diagnostics.length === 0) stdout.write(`valid: ${files.join(', ') || '(no files)'}\n`);
          if (diagnostics.length > 0) {
            if (!args.json) for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
            throw Object.assign(new Error(`${diagnostics.length} error(s)`), { quiet: true, exitCode: 1 });
          }
        },
      })
      .demandCommand(1, 'name a config command'),
  handler: () => {},
};


// `ros service …`: shape the node's services. Definitions come from the
// config, the bundled catalogue and local files; enable/disable record
// rancher.services_include in cloud-config.yml (validated, atomic).
import { existsSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { systemDocker, userDocker } from '../docker/clients';
import { createLogger } from '../log/logger';
import type { Diagnostic } from '../config/diagnostic';
import { setServiceInclude } from '../config/edit';
import { CATALOGUE_DIR, enabledServices, isPathRef, isUrlRef, loadServiceRef, parseServiceFile, readCatalogue, unknownServiceMessage, urlCacheFile } from '../services/catalogue';
import { fetchUrl } from '../sys/fetch-url';
import { atomicWrite } from '../sys/atomic-write';
import { act, daemonFor, logs, up, type ContainerAction } from '../services/control';
import { listServiceContainers } from '../services/status';
import { json, stdout, table } from './output';
import { configPaths, current, nodeConfig, writeValidated } from './node-config';

class ServiceError extends Error {
  readonly exitCode = 1;
}

/** `file:line:column: path: message`, one per line, for a service file that does not validate. */
function describeProblems(diagnostics: Diagnostic[]): string {
  return diagnostics.map((d) => `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}: ${d.path ? `${d.path}: ` : ''}${d.message}`).join('\n');
}

const daemons = () => ({ system: systemDocker(), user: userDocker() });
const log = () => createLogger({ name: 'ros', consoleFd: 2, level: 'info' });

/** Enabled definitions, failing with the closest names when `name` is not one of them. */
function enabledOrFail(names: string[]) {
  const resolved = enabledServices(nodeConfig());
  for (const n of names) {
    if (!resolved.services[n]) {
      const known = readCatalogue().some((e) => e.name === n);
      throw new ServiceError(known ? `service ${n} is not enabled (ros service enable ${n})` : unknownServiceMessage(n));
    }
  }
  return resolved.services;
}

function include(ref: string, value: boolean | undefined): void {
  const file = configPaths().cloudConfig;
  writeValidated(setServiceInclude(current(file), ref, value), file);
}

function containerCommand(command: ContainerAction, describe: string): CommandModule {
  return {
    command: `${command} <names..>`,
    describe,
    handler: async (args) => {
      const names = (args.names as string[]).map(String);
      const services = enabledOrFail(names);
      for (const n of names) {
        await act(daemonFor(daemons(), services, n), n, command);
        stdout.write(`${n}: ${command === 'down' ? 'removed' : `${command}ed`.replace('stoped', 'stopped')}\n`);
      }
    },
  };
}

const jsonOpt = (a: Argv) => a.option('json', { type: 'boolean', describe: 'Print JSON' });

export const serviceCommand: CommandModule = {
  command: 'service <command>',
  aliases: ['s'],
  describe: 'Manage system and user services',
  builder: (y: Argv) =>
    y
      .command({
        command: 'list',
        describe: 'List services: enabled, disabled and available in the catalogue',
        builder: jsonOpt,
        handler: (args) => {
          const cfg = nodeConfig();
          const include = cfg.rancher?.services_include ?? {};
          const rows = [
            ...Object.keys(cfg.rancher?.services ?? {}).map((n) => ({ name: n, state: 'enabled', source: 'config' })),
            ...readCatalogue().filter((e) => !(cfg.rancher?.services ?? {})[e.name]).map((e) => ({
              name: e.name, state: include[e.name] === true ? 'enabled' : include[e.name] === false ? 'disabled' : 'available', source: `catalogue (${e.scope})`,
            })),
            ...Object.entries(include).filter(([r]) => isPathRef(r)).map(([r, on]) => ({ name: r, state: on ? 'enabled' : 'disabled', source: 'file' })),
          ];
          if (args.json) return json(rows, stdout);
          table([['NAME', 'STATE', 'SOURCE'], ...rows.map((r) => [r.name, r.state, r.source])], stdout);
        },
      })
      .command({
        command: 'enable <service>',
        describe: `Enable a catalogue service (${CATALOGUE_DIR}), a local file, or an http(s) URL (fetched once and cached); --now also starts it`,
        builder: (a: Argv) => a.option('now', { type: 'boolean', describe: 'Start it now as well' }),
        handler: async (args) => {
          const ref = String(args.service);
          if (isPathRef(ref) && !existsSync(ref)) throw new ServiceError(`${ref} does not exist`);
          if (isUrlRef(ref)) await cacheUrl(ref);
          const loaded = loadServiceRef(ref);
          if (!loaded.ok) {
            throw new ServiceError(describeProblems(loaded.diagnostics));
          }
          include(ref, true);
          stdout.write(`${ref}: enabled (${Object.keys(loaded.services).join(', ')})\n`);
          if (args.now) await runUp(Object.keys(loaded.services));
        },
      })
      .command({
        command: 'disable <service>',
        describe: 'Disable a service (kept in services_include as false); its container keeps running until `down`',
        handler: (args) => {
          include(String(args.service), false);
          stdout.write(`${String(args.service)}: disabled\n`);
        },
      })
      .command({
        command: 'delete <service>',
        describe: 'Forget a service: remove it from services_include and remove its container',
        handler: async (args) => {
          const ref = String(args.service);
          const loaded = loadServiceRef(ref);
          include(ref, undefined);
          for (const n of loaded.ok ? Object.keys(loaded.services) : [ref]) {
            await act(daemonFor(daemons(), loaded.ok ? loaded.services : {}, n), n, 'down').catch(() => undefined);
          }
          stdout.write(`${ref}: deleted\n`);
        },
      })
      .command({
        command: 'up [names..]',
        describe: 'Create or recreate (when the definition changed) and start services; all enabled when none named',
        handler: async (args) => runUp(((args.names as string[] | undefined) ?? []).map(String)),
      })
      .command(containerCommand('down', 'Stop and remove service containers'))
      .command(containerCommand('start', 'Start service containers'))
      .command(containerCommand('stop', 'Stop service containers'))
      .command(containerCommand('restart', 'Restart service containers'))
      .command({
        command: 'ps',
        describe: 'Service containers with state, health, restart count and uptime',
        builder: (a: Argv) => jsonOpt(a).option('all', { alias: 'a', type: 'boolean', default: true, describe: 'Include stopped containers' }),
        handler: async (args) => {
          const rows = [...(await listServiceContainers(systemDocker(), Boolean(args.all), 'system')), ...(await listServiceContainers(userDocker(), Boolean(args.all), 'user').catch(() => []))];
          if (args.json) return json(rows, stdout);
          table([['NAME', 'SCOPE', 'STATE', 'HEALTH', 'RESTARTS', 'STATUS', 'IMAGE'], ...rows.map((r) => [r.name, r.scope, r.state, r.health, String(r.restarts), r.status, r.image])], stdout);
        },
      })
      .command({
        command: 'logs <name>',
        describe: 'Print a service\'s logs; -f follows them across restarts',
        builder: (a: Argv) =>
          a.option('follow', { alias: 'f', type: 'boolean', describe: 'Keep following' }).option('tail', { type: 'number', describe: 'Only the last N lines' }),
        handler: async (args) => {
          const name = String(args.name);
          const services = enabledOrFail([name]);
          await logs(daemonFor(daemons(), services, name), name, { follow: Boolean(args.follow), tail: args.tail }, process.stdout);
        },
      })
      .demandCommand(1, 'name a service command'),
  handler: () => {},
};

/** Fetches a service file once, validates it, and keeps it on the state disk for every later boot. */
async function cacheUrl(url: string): Promise<void> {
  const text = (await fetchUrl(url)).toString('utf8');
  const parsed = parseServiceFile(text, url);
  if (!parsed.ok) throw new ServiceError(describeProblems(parsed.diagnostics));
  atomicWrite(urlCacheFile(url), text, 0o644);
}

async function runUp(names: string[]): Promise<void> {
  const cfg = nodeConfig();
  const services = enabledOrFail(names);
  const outcomes = await up(daemons(), services, names, log(), cfg.rancher?.environment ?? {});
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length > 0) throw new ServiceError(failed.map((o) => `${o.name}: ${o.error}`).join('\n'));
}

// `ros service …`: shape the node's services. Definitions come from the
// config, the bundled catalogue and local files; enable/disable record
// rancher.services_include in cloud-config.yml (validated, atomic), and the
// containers follow: disable stops and removes them, and the next boot's
// reconcile keeps them off.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TLS_DIR } from '../config/paths';
import { serviceVars } from '../services/interpolate';
import { dockerTlsReady } from '../tls/files';
import type { Argv, CommandModule } from 'yargs';
import { systemDocker, userDocker } from '../docker/clients';
import { createLogger } from '../log/logger';
import { formatDiagnostic, type Diagnostic } from '../config/diagnostic';
import { setServiceInclude } from '../config/edit';
import type { ServiceMap } from '../config/service-types';
import { enabledServices, isPathRef, isUrlRef, loadServiceRef, parseServiceFile, readCatalogue, unknownServiceMessage, urlCacheFile } from '../services/catalogue';
import { fetchUrl } from '../sys/fetch-url';
import { atomicWrite } from '../sys/atomic-write';
import { act, daemonFor, logs, planUp, up, type ContainerAction } from '../services/control';
import { scopeOf } from '../services/labels';
import { removeContainer } from '../services/stop';
import { listServiceContainers } from '../services/status';
import { json, stdout, table } from './output';
import { daemonsHere, nodeConfig, requireDaemons, requireNode, target, writeValidated, type Target } from './node';


class ServiceError extends Error {
  readonly exitCode = 1;
}

/** `file:line:column: path: message`, one per line, for a service file that does not validate. */
function describeProblems(diagnostics: Diagnostic[]): string {
  return diagnostics.map((d) => formatDiagnostic(d).replace(/ \[[a-z0-9_-]+\]$/, '')).join('\n');
}

const daemons = () => ({ system: systemDocker(), user: userDocker() });
const log = () => createLogger({ name: 'ros', consoleFd: 2, level: 'info' });

/** Enabled definitions, failing with the closest names when `name` is not one of them. */
function enabledOrFail(t: Target, names: string[]): ServiceMap {
  const resolved = enabledServices(nodeConfig(t), t.paths.catalogue, t.paths.serviceCache);
  for (const n of names) {
    if (!resolved.services[n]) {
      const known = readCatalogue(t.paths.catalogue).some((e) => e.name === n);
      throw new ServiceError(known ? `service ${n} is not enabled (ros service enable ${n})` : unknownServiceMessage(n, t.paths.catalogue));
    }
  }
  return resolved.services;
}

function include(t: Target, ref: string, value: boolean | undefined): void {
  const file = t.paths.cloudConfig;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  for (const w of writeValidated(setServiceInclude(text, ref, value), file)) process.stderr.write(`${formatDiagnostic(w, 'warning')}\n`);
}

/** The services a reference (catalogue name, file, URL) defines, by name; the reference itself when it cannot be read. */
function servicesOf(t: Target, ref: string): ServiceMap {
  const loaded = loadServiceRef(ref, t.paths.catalogue, t.paths.serviceCache);
  return loaded.ok ? loaded.services : { [ref]: { image: '' } };
}

/** Stops and removes the containers of `services`, each on its scope's daemon; the names it removed. */
async function removeContainers(services: ServiceMap): Promise<string[]> {
  const d = daemons();
  const removed: string[] = [];
  for (const [name, svc] of Object.entries(services)) {
    if (await removeContainer(scopeOf(svc) === 'user' ? d.user : d.system, name)) removed.push(name);
  }
  return removed;
}

function containerCommand(command: ContainerAction, describe: string): CommandModule {
  return {
    command: `${command} <names..>`,
    describe,
    handler: async (args) => {
      requireDaemons(`ros service ${command}`);
      const names = (args.names as string[]).map(String);
      const services = enabledOrFail(target(args), names);
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
          const t = target(args);
          const cfg = nodeConfig(t);
          const include = cfg.rancher?.services_include ?? {};
          const rows = [
            ...Object.keys(cfg.rancher?.services ?? {}).map((n) => ({ name: n, state: 'enabled', source: 'config' })),
            ...readCatalogue(t.paths.catalogue).filter((e) => !(cfg.rancher?.services ?? {})[e.name]).map((e) => ({
              name: e.name, state: include[e.name] === true ? 'enabled' : include[e.name] === false ? 'disabled' : 'available', source: `catalogue (${e.scope})`,
            })),
            ...Object.entries(include).filter(([r]) => isPathRef(r) || isUrlRef(r)).map(([r, on]) => ({ name: r, state: on ? 'enabled' : 'disabled', source: isUrlRef(r) ? 'url' : 'file' })),
          ];
          if (args.json) return json(rows, stdout);
          table([['NAME', 'STATE', 'SOURCE'], ...rows.map((r) => [r.name, r.state, r.source])], stdout);
        },
      })
      .command({
        command: 'enable <service>',
        describe: 'Enable a catalogue service (/usr/share/ros/services), a local file, or an http(s) URL (fetched once and cached); --now also starts it',
        builder: (a: Argv) => a.option('now', { type: 'boolean', describe: 'Start it now as well' }),
        handler: async (args) => {
          const t = target(args);
          requireNode('ros service enable', t);
          if (args.now) requireDaemons('ros service enable --now');
          const ref = String(args.service);
          if (isPathRef(ref) && !existsSync(ref)) throw new ServiceError(`${ref} does not exist`);
          if (isUrlRef(ref)) await cacheUrl(t, ref);
          const loaded = loadServiceRef(ref, t.paths.catalogue, t.paths.serviceCache);
          if (!loaded.ok) throw new ServiceError(describeProblems(loaded.diagnostics));
          include(t, ref, true);
          stdout.write(`${ref}: enabled (${Object.keys(loaded.services).join(', ')})\n`);
          if (args.now) await runUp(t, Object.keys(loaded.services), false);
        },
      })
      .command({
        command: 'disable <service>',
        describe: 'Disable a service: record services_include false, and stop and remove its container (--keep leaves it; the next boot removes it)',
        builder: (a: Argv) => a.option('keep', { type: 'boolean', describe: 'Leave the container as it is until the next boot or `ros service up`' }),
        handler: async (args) => {
          const t = target(args);
          requireNode('ros service disable', t);
          const ref = String(args.service);
          const fromConfig = nodeConfig(t).rancher?.services?.[ref];
          if (fromConfig) {
            throw new ServiceError(`${ref} is defined in rancher.services (the image defaults or a cloud-config), not enabled with ros service enable; remove it there to turn it off`);
          }
          const services = servicesOf(t, ref);
          include(t, ref, false);
          if (args.keep) return stdout.write(`${ref}: disabled; its container is left as it is (--keep)\n`);
          if (!daemonsHere()) return stdout.write(`${ref}: disabled in ${t.paths.cloudConfig}; no node runs here, so no container was touched\n`);
          const removed = await removeContainers(services);
          stdout.write(`${ref}: disabled; ${removed.length > 0 ? `stopped and removed ${removed.join(', ')}` : 'no container was running'}\n`);
        },
      })
      .command({
        command: 'delete <service>',
        describe: 'Forget a service: remove it from services_include and remove its container',
        handler: async (args) => {
          const t = target(args);
          requireNode('ros service delete', t);
          const ref = String(args.service);
          // Containers first: when the daemon cannot be reached, nothing is forgotten.
          const removed = daemonsHere() ? await removeContainers(servicesOf(t, ref)) : [];
          include(t, ref, undefined);
          stdout.write(`${ref}: deleted${removed.length > 0 ? `; removed ${removed.join(', ')}` : ''}\n`);
        },
      })
      .command({
        command: 'up [names..]',
        describe: 'Create, recreate (when the definition changed) and start services; all enabled ones when none named, and then containers of services no longer enabled are removed',
        builder: (a: Argv) => jsonOpt(a).option('dry-run', { type: 'boolean', describe: 'Print what would be done, and why, without doing it' }),
        handler: async (args) => {
          const t = target(args);
          const names = ((args.names as string[] | undefined) ?? []).map(String);
          if (!args.dryRun) requireDaemons('ros service up');
          await runUp(t, names, Boolean(args.dryRun), Boolean(args.json));
        },
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
          const services = enabledOrFail(target(args), [name]);
          await logs(daemonFor(daemons(), services, name), name, { follow: Boolean(args.follow), tail: args.tail }, process.stdout);
        },
      })
      .demandCommand(1, 'name a service command'),
  handler: () => {},
};

/** Fetches a service file once, validates it, and keeps it on the state disk for every later boot. */
async function cacheUrl(t: Target, url: string): Promise<void> {
  const text = (await fetchUrl(url)).toString('utf8');
  const parsed = parseServiceFile(text, url);
  if (!parsed.ok) throw new ServiceError(describeProblems(parsed.diagnostics));
  atomicWrite(urlCacheFile(url, t.paths.serviceCache), text, 0o644);
}

async function runUp(t: Target, names: string[], dryRun: boolean, asJson = false): Promise<void> {
  const cfg = nodeConfig(t);
  const services = enabledOrFail(t, names);
  const actions = await planUp(daemons(), services, names);
  if (dryRun) {
    if (asJson) return json(actions.map(({ scope, name, kind, reason }) => ({ scope, name, action: kind, reason })), stdout);
    return table([['SCOPE', 'SERVICE', 'ACTION', 'REASON'], ...actions.map((a) => [a.scope, a.name, a.kind, a.reason])], stdout);
  }
  for (const done of dockerTlsReady(cfg, services, join(t.paths.root, TLS_DIR))) stdout.write(`docker tls: ${done}\n`);
  const outcomes = await up(daemons(), services, actions, log(), serviceVars(cfg.rancher?.environment));
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length > 0) throw new ServiceError(failed.map((o) => `${o.name}: ${o.error}`).join('\n'));
}

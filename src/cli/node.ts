// Which node a command acts on, and whether it may. The CLI is the same
// binary as PID 1 and can be run anywhere; a command that changes a node
// (power, services, config writes, install) runs only on a ros node — PID 1
// is ros, or system-docker's socket is there — or on files named explicitly
// with --root DIR (or ROS_CONF_DIR): anywhere else it would signal another
// system's init or write into its /var/lib. docs/architecture.md, "The CLI".
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../config/diagnostic';
import { loadNodeConfig, nodePaths, readCmdline, type NodePaths } from '../config/node';
import type { RosConfig } from '../config/types';
import { validateConfig } from '../config/validate';
import { SYSTEM_DOCKER_SOCK } from '../docker/clients';
import { atomicWrite } from '../sys/atomic-write';
import { pid1Comm, pid1Exe } from '../sys/proc';
import { ConfigError, NotANodeError } from './errors';

/** The files a command works on: this node's, or those under --root / ROS_CONF_DIR. */
export interface Target {
  paths: NodePaths;
  /** Named explicitly (--root, ROS_CONF_DIR): files may be written even off a node. */
  explicit: boolean;
}

export function target(args: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Target {
  const root = typeof args.root === 'string' && args.root !== '' ? args.root : undefined;
  const confDir = env.ROS_CONF_DIR || undefined;
  return { paths: nodePaths({ root, confDir, osConfig: env.ROS_OS_CONFIG || undefined }), explicit: root !== undefined || confDir !== undefined };
}

/** Why this machine is a ros node, or why not (null when it is one). */
export function notANode(): string | null {
  const exe = pid1Exe();
  if (exe !== null && basename(exe) === 'ros') return null;
  try {
    if (statSync(SYSTEM_DOCKER_SOCK).isSocket()) return null;
  } catch {
    /* no socket */
  }
  const who = exe ?? (pid1Comm() !== null ? `${pid1Comm()}, whose executable link is not readable,` : 'not readable');
  return `PID 1 is ${who} and there is no ${SYSTEM_DOCKER_SOCK}`;
}

/** Refuses (exit 1) to change a node unless this is one, or the command works on files named explicitly (`t`). */
export function requireNode(command: string, t?: Target): void {
  const why = notANode();
  if (why === null || t?.explicit) return;
  const hint = t ? `; to change a node's files from here, name them with --root DIR` : '';
  throw new NotANodeError(`${command}: this is not a ros node (${why}): nothing was changed${hint}`);
}

/** Docker daemons of a node are reachable from here: on the node, or given by ROS_*_DOCKER_SOCK (host tests). */
export function daemonsHere(env: NodeJS.ProcessEnv = process.env): boolean {
  return notANode() === null || Boolean(env.ROS_SYSTEM_DOCKER_SOCK || env.ROS_USER_DOCKER_SOCK);
}

/** Refuses (exit 1) to change containers unless a node's daemons are here. */
export function requireDaemons(command: string): void {
  if (!daemonsHere()) requireNode(command);
}

/** The config in force on the target: every layer, the cmdline included. */
export function nodeConfig(t: Target): RosConfig {
  return loadNodeConfig(t.paths, readCmdline(t.paths)).config;
}

export function failOn(diagnostics: Diagnostic[], what: string): never {
  throw new ConfigError(`${what}:\n${diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join('\n')}`);
}

/** Validates `text` as the new cloud-config.yml and writes it atomically (0600); returns its warnings. */
export function writeValidated(text: string, file: string): Diagnostic[] {
  const result = validateConfig(text, file);
  if (!result.ok) failOn(result.diagnostics, `refused: the result would not be a valid cloud-config (${file} unchanged)`);
  atomicWrite(file, text, 0o600);
  return result.warnings;
}

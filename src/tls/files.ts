// The user Docker's TLS files on the node (TLS_DIR): ca.pem, ca-key.pem,
// server-cert.pem, server-key.pem. What the config gives wins (RancherOS kept
// them in rancher.docker.*), then what is on the state disk from before, and
// only then are new ones made — so a node keeps one CA for good and clients
// signed by it keep working across reboots. docs/architecture.md, "Docker over TLS".
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import type { ServiceMap } from '../config/service-types';
import type { DockerDaemonConfig, RosConfig } from '../config/types';
import { atomicWrite } from '../sys/atomic-write';
import { issue, makeCa, type Pem } from './certs';

const FILES = { caCert: 'ca.pem', caKey: 'ca-key.pem', cert: 'server-cert.pem', key: 'server-key.pem' } as const;

function read(dir: string, a: string, b: string): Pem | null {
  const [cert, key] = [join(dir, a), join(dir, b)];
  return existsSync(cert) && existsSync(key) ? { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') } : null;
}

function write(dir: string, a: string, b: string, pem: Pem): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  atomicWrite(join(dir, a), pem.cert, 0o644);
  atomicWrite(join(dir, b), pem.key, 0o600);
}

/** The names and addresses dockerd's certificate is for: the host name and every address the node has now. */
export function nodeNames(): string[] {
  const addrs = Object.values(networkInterfaces()).flatMap((list) => list ?? []).filter((a) => !a.internal).map((a) => a.address.replace(/%.*$/, ''));
  return [hostname(), ...addrs];
}

/** The node's CA: the config's, the one on disk, or a new one (written to disk). */
export function nodeCa(cfg: DockerDaemonConfig, dir: string): { ca: Pem; made: boolean } {
  const given = cfg.ca_cert && cfg.ca_key ? { cert: cfg.ca_cert, key: cfg.ca_key } : null;
  const kept = given ?? read(dir, FILES.caCert, FILES.caKey);
  const ca = kept ?? makeCa(hostname());
  if (given || !kept) write(dir, FILES.caCert, FILES.caKey, ca);
  return { ca, made: !kept };
}

/** dockerd's certificate for `names`; `renew` makes a new one even when one is there (`ros tls gen --server`). */
export function ensureDockerTls(cfg: DockerDaemonConfig, dir: string, names: string[], renew = false): string[] {
  const done: string[] = [];
  const { ca, made } = nodeCa(cfg, dir);
  if (made) done.push(`made a CA in ${dir}`);
  if (cfg.server_cert && cfg.server_key) {
    write(dir, FILES.cert, FILES.key, { cert: cfg.server_cert, key: cfg.server_key });
  } else if (renew || made || !read(dir, FILES.cert, FILES.key)) {
    write(dir, FILES.cert, FILES.key, issue(ca, 'server', names[0] ?? 'ros', names));
    done.push(`made dockerd's certificate for ${names.join(', ')}`);
  }
  return done;
}

/** A client certificate from the node's CA, written as docker looks for it: DIR/ca.pem, cert.pem, key.pem. */
export function writeClientCert(ca: Pem, outDir: string): void {
  const client = issue(ca, 'client', 'client');
  mkdirSync(outDir, { recursive: true, mode: 0o700 });
  atomicWrite(join(outDir, 'ca.pem'), ca.cert, 0o644);
  atomicWrite(join(outDir, 'cert.pem'), client.cert, 0o644);
  atomicWrite(join(outDir, 'key.pem'), client.key, 0o600);
}

/**
 * Before the user Docker (re)starts — at boot, or by `ros service up` — with
 * rancher.docker.tls: the files its arguments name are in place. Returns what was made.
 */
export function dockerTlsReady(config: RosConfig, services: ServiceMap, dir: string): string[] {
  const docker = config.rancher?.docker;
  return docker?.tls && services.docker ? ensureDockerTls(docker, dir, nodeNames()) : [];
}

// The one interface every cloud datasource implements: find the metadata
// service, fetch the instance, hand ros the parts it uses. Each cloud is its
// own small module (ec2.ts, gce.ts, …) that knows only its own API; where the
// HTTP goes is the caller's choice, so tests point it at a local emulator.
import type { NetworkConfig } from '../config/types';
import type { Dmi } from '../sys/dmi';
import type { MetadataHttp } from './http';

/** What a cloud tells ros about this machine. */
export interface InstanceMetadata {
  /** The cloud's id for this VM: per-instance modules run once per id. */
  instanceId: string;
  hostname?: string;
  /** OpenSSH public keys for the `rancher` user. */
  sshKeys: string[];
  userData: Buffer | null;
  /** The provider's own user-data (kept and reported, not applied: it is written for other distributions). */
  vendorData: Buffer | null;
  /** Static addressing the cloud expects (DigitalOcean, Hetzner), as rancher.network. */
  network?: NetworkConfig;
}


export interface FetchEnv {
  /** A client for one of the datasource's endpoints (tests map them to 127.0.0.1). */
  http(endpoint: string): MetadataHttp;
  /** Azure: the OVF environment (ovf-env.xml) of the provisioning medium, when one is attached. */
  ovfEnv?(): string | null;
  /** Things worth a line in the log that are not failures. */
  note(message: string): void;
}

export interface CloudDatasource {
  /** The name in rancher.cloud_init.datasources (RancherOS' names). */
  name: string;
  /** Base URL of the metadata service. */
  endpoint: string;
  /** Whether DMI says this machine runs on this cloud; without it `auto` never tries the datasource. */
  detect?(dmi: Dmi): boolean;
  /** null when a service answered but not as this cloud's would; throws when none answered. */
  fetch(env: FetchEnv): Promise<InstanceMetadata | null>;
  /** After the metadata was used: Azure keeps the VM "provisioning" until it hears "ready". */
  ready?(env: FetchEnv, meta: InstanceMetadata): Promise<void>;
}

// ---- helpers for reading untyped metadata (JSON or YAML) ---------------------

export function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null && !Array.isArray(obj) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** A string or number field as a non-empty string. */
export function str(obj: unknown, key: string): string | undefined {
  const v = field(obj, key);
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** A list of strings, or a map of them (OpenStack's public_keys), or one string with a key a line. */
export function strings(v: unknown): string[] {
  const all = Array.isArray(v) ? v : typeof v === 'object' && v !== null ? Object.values(v) : typeof v === 'string' ? v.split('\n') : [];
  return all.filter((s): s is string => typeof s === 'string').map((s) => s.trim()).filter(Boolean);
}

/** A string field as bytes, untouched (user-data: whitespace may matter); null when absent or empty. */
export function bytesOf(obj: unknown, key: string): Buffer | null {
  const v = field(obj, key);
  return typeof v === 'string' && v !== '' ? Buffer.from(v, 'utf8') : null;
}

// What a Docker daemon says it is made of: the engine, and the containerd and
// runc it runs containers with (Docker's /version "Components").
import { dockerAt } from './clients';

export interface EngineVersion {
  version: string;
  apiVersion: string;
  containerd?: string;
  runc?: string;
}

interface VersionBody {
  Version?: string;
  ApiVersion?: string;
  Components?: { Name?: string; Version?: string }[];
}

/** Pure: the parts of a /version answer that `ros os version` shows. */
export function engineVersionOf(body: VersionBody): EngineVersion {
  const component = (name: string): string | undefined => body.Components?.find((c) => c.Name?.toLowerCase() === name)?.Version;
  return {
    version: body.Version ?? 'unknown',
    apiVersion: body.ApiVersion ?? 'unknown',
    containerd: component('containerd'),
    runc: component('runc'),
  };
}

/** Asks the daemon on `socketPath`; rejects with the reason when it does not answer within `timeoutMs`. */
export async function engineVersion(socketPath: string, timeoutMs = 3000): Promise<EngineVersion> {
  return engineVersionOf(await dockerAt(socketPath, timeoutMs).version());
}

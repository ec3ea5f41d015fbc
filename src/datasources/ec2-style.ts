// The EC2 metadata layout, which other clouds copy (Exoscale, Alibaba, the
// OpenStack fallback): `<version>/meta-data/<key>` text files, keys listed as
// `0=name` under `public-keys/`, and `<version>/user-data`.
import type { InstanceMetadata } from './cloud-datasource';
import type { MetadataHttp } from './http';

/** Indexes of `public-keys/`: EC2 lists `0=my-key`, Alibaba `0/`. */
export function keyIndexes(listing: string): string[] {
  return listing.split('\n').map((l) => l.trim().split(/[=/]/)[0] ?? '').filter((i) => /^\d+$/.test(i));
}

export async function readEc2Style(http: MetadataHttp, version: string, headers: Record<string, string> = {}): Promise<InstanceMetadata | null> {
  const meta = (key: string) => http.text(`${version}/meta-data/${key}`, headers).then((t) => t?.trim() || undefined);
  const instanceId = await meta('instance-id');
  if (!instanceId) return null;
  const hostname = (await meta('local-hostname')) ?? (await meta('hostname'));
  const sshKeys: string[] = [];
  const listing = await meta('public-keys/');
  for (const i of keyIndexes(listing ?? '')) {
    const key = await meta(`public-keys/${i}/openssh-key`);
    if (key) sshKeys.push(...key.split('\n').map((k) => k.trim()).filter(Boolean));
  }
  const userData = await http.bytes(`${version}/user-data`, headers);
  return { instanceId, hostname, sshKeys, userData: userData?.length ? userData : null, vendorData: null };
}

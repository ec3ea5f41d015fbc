// Google Compute Engine: computeMetadata/v1 at 169.254.169.254
// (metadata.google.internal). Every request carries `Metadata-Flavor: Google`
// and every answer must carry it back: that is how a GCE metadata server is
// told from another service on the same address.
import { bytesOf, str, strings, type CloudDatasource } from './cloud-datasource';

const FLAVOR = { 'Metadata-Flavor': 'Google' };

/** `ssh-keys` lines are `user:ssh-ed25519 AAAA… comment`; ros has one login user, so the user part goes. */
export function gceKeys(value: string | undefined): string[] {
  return strings(value ?? '').map((l) => l.replace(/^[a-z_][a-z0-9_.-]*:(?=(ssh|ecdsa|sk)-)/i, ''));
}

export const gce: CloudDatasource = {
  name: 'gce',
  endpoint: 'http://169.254.169.254',
  detect: (d) => /google/i.test([d.product_name, d.bios_vendor, d.sys_vendor].join(' ')),
  async fetch(env) {
    const http = env.http(this.endpoint);
    const res = await http.request('GET', '/computeMetadata/v1/instance/?recursive=true', FLAVOR);
    if (res.status === 404 || res.headers.get('metadata-flavor') !== 'Google') return null;
    if (res.status !== 200) throw new Error(`GET ${http.url('/computeMetadata/v1/instance/')}: HTTP ${res.status}`);
    const instance = JSON.parse(res.body.toString('utf8')) as unknown;
    const attrs = (instance as { attributes?: unknown }).attributes;
    const instanceId = str(instance, 'id');
    if (!instanceId) throw new Error('gce: the instance has no id');
    const keys = [...gceKeys(str(attrs, 'ssh-keys')), ...gceKeys(str(attrs, 'sshKeys'))];
    if (str(attrs, 'block-project-ssh-keys') !== 'true') {
      const project = await http.json('/computeMetadata/v1/project/attributes/?recursive=true', FLAVOR);
      keys.push(...gceKeys(str(project, 'ssh-keys')), ...gceKeys(str(project, 'sshKeys')));
    }
    return {
      instanceId,
      hostname: str(instance, 'hostname'),
      sshKeys: [...new Set(keys)],
      userData: bytesOf(attrs, 'user-data'),
      vendorData: null,
    };
  },
};

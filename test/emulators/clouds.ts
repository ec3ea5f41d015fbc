// Metadata APIs of each cloud, written for the tests from the providers'
// public documentation: the paths, headers and token flows a real instance
// sees, serving one fixture instance. Partial fixtures (no keys, no user-data)
// answer 404 where the real service does.
import type { Answer, Api, Request } from './server';

export interface Fixture {
  instanceId: string;
  hostname?: string;
  sshKeys?: string[];
  userData?: string | Buffer;
  vendorData?: string;
}

const text = (body: string | Buffer | undefined, headers: Record<string, string> = {}): Answer | undefined =>
  body === undefined ? undefined : { status: 200, body, headers: { 'Content-Type': 'text/plain', ...headers } };
const json = (v: unknown, headers: Record<string, string> = {}): Answer => ({ status: 200, body: JSON.stringify(v), headers: { 'Content-Type': 'application/json', ...headers } });
/** Numeric ids go out as JSON numbers, as GCE and DigitalOcean send them. */
const idOf = (id: string): string | number => (/^\d+$/.test(id) ? Number(id) : id);
const pathOf = (r: Request) => r.path.split('?')[0] ?? r.path;

export type Ec2Mode = 'v2-optional' | 'v2-required' | 'v1-only';
export const EC2_TOKEN = 'AQAEAFake-session-token==';

/** EC2 IMDS: PUT /latest/api/token, then /latest/meta-data/… and /latest/user-data. */
export function ec2Api(f: Fixture, mode: Ec2Mode = 'v2-required', version = '/latest'): Api {
  const keys = f.sshKeys ?? [];
  return (r) => {
    if (r.method === 'PUT' && r.path === '/latest/api/token') {
      if (mode === 'v1-only') return { status: 405, body: 'method not allowed' };
      if (!r.headers['x-aws-ec2-metadata-token-ttl-seconds']) return { status: 400, body: 'missing ttl' };
      return text(EC2_TOKEN);
    }
    if (r.method !== 'GET') return { status: 405 };
    if (mode === 'v2-required' && r.headers['x-aws-ec2-metadata-token'] !== EC2_TOKEN) return { status: 401, body: 'unauthorized' };
    const p = pathOf(r);
    const md = `${version}/meta-data/`;
    if (p === `${version}/user-data`) return text(f.userData);
    if (!p.startsWith(md)) return undefined;
    const key = p.slice(md.length);
    if (key === 'instance-id') return text(f.instanceId);
    if (key === 'local-hostname' || key === 'hostname') return text(f.hostname);
    if (key === 'public-keys/' && keys.length) return text(keys.map((_, i) => `${i}=key${i}`).join('\n'));
    const m = /^public-keys\/(\d+)\/openssh-key$/.exec(key);
    return m ? text(keys[Number(m[1])]) : undefined;
  };
}

/** GCE: computeMetadata/v1 with Metadata-Flavor: Google both ways. */
export function gceApi(f: Fixture, projectKeys: string[] = [], blockProjectKeys = false): Api {
  const flavor = { 'Metadata-Flavor': 'Google' };
  return (r) => {
    if (r.headers['metadata-flavor'] !== 'Google') return { status: 403, body: 'Missing Metadata-Flavor:Google header.', headers: flavor };
    const p = pathOf(r);
    if (p === '/computeMetadata/v1/instance/') {
      const attributes: Record<string, string> = {};
      if (f.sshKeys?.length) attributes['ssh-keys'] = f.sshKeys.map((k) => `rancher:${k}`).join('\n');
      if (f.userData !== undefined) attributes['user-data'] = f.userData.toString();
      if (blockProjectKeys) attributes['block-project-ssh-keys'] = 'true';
      return json({ id: idOf(f.instanceId), hostname: f.hostname, attributes, zone: 'projects/1/zones/europe-west1-b' }, flavor);
    }
    if (p === '/computeMetadata/v1/project/attributes/') {
      return json(projectKeys.length ? { 'ssh-keys': projectKeys.map((k) => `admin:${k}`).join('\n') } : {}, flavor);
    }
    return { status: 404, body: 'not found', headers: flavor };
  };
}

export interface DoNetwork {
  mac: string;
  ipv4: string;
  netmask: string;
  gateway: string;
  ipv6?: string;
  cidr?: number;
  gateway6?: string;
  nameservers: string[];
}

/** DigitalOcean: /metadata/v1.json, one document. */
export function digitaloceanApi(f: Fixture, net?: DoNetwork): Api {
  return (r) => {
    if (pathOf(r) !== '/metadata/v1.json') return undefined;
    const pub = net && {
      mac: net.mac,
      type: 'public',
      ipv4: { ip_address: net.ipv4, netmask: net.netmask, gateway: net.gateway },
      ...(net.ipv6 ? { ipv6: { ip_address: net.ipv6, cidr: net.cidr, gateway: net.gateway6 } } : {}),
    };
    return json({
      droplet_id: idOf(f.instanceId),
      hostname: f.hostname,
      public_keys: f.sshKeys ?? [],
      region: 'ams3',
      ...(f.userData !== undefined ? { user_data: f.userData.toString() } : {}),
      ...(f.vendorData ? { vendor_data: f.vendorData } : {}),
      interfaces: pub ? { public: [pub] } : {},
      dns: { nameservers: net?.nameservers ?? [] },
      features: { dhcp_enabled: false },
    });
  };
}

/** OpenStack: openstack/latest/{meta_data.json,user_data,vendor_data.json}. */
export function openstackApi(f: Fixture): Api {
  return (r) => {
    switch (pathOf(r)) {
      case '/openstack/latest/meta_data.json':
        return json({ uuid: f.instanceId, hostname: f.hostname, name: f.hostname, public_keys: Object.fromEntries((f.sshKeys ?? []).map((k, i) => [`key${i}`, k])) });
      case '/openstack/latest/user_data':
        return text(f.userData);
      case '/openstack/latest/vendor_data.json':
        return json(f.vendorData ? { 'cloud-init': f.vendorData } : {});
      default:
        return undefined;
    }
  };
}

/** Azure IMDS: /metadata/instance with `Metadata: true`; compute.userData is base64. */
export function azureImdsApi(f: Fixture, withUserData = false): Api {
  return (r) => {
    if (r.headers.metadata !== 'true') return { status: 400, body: 'Required metadata header not specified' };
    if (pathOf(r) !== '/metadata/instance') return undefined;
    return json({
      compute: {
        vmId: f.instanceId,
        name: f.hostname,
        osProfile: { computerName: f.hostname, adminUsername: 'rancher' },
        publicKeys: (f.sshKeys ?? []).map((k) => ({ keyData: k, path: '/home/rancher/.ssh/authorized_keys' })),
        ...(withUserData && f.userData !== undefined ? { userData: Buffer.from(f.userData).toString('base64') } : {}),
      },
    });
  };
}

export const GOAL_STATE = `<?xml version="1.0" encoding="utf-8"?>
<GoalState xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Version>2012-11-30</Version><Incarnation>3</Incarnation>
<Machine><ExpectedState>Started</ExpectedState></Machine>
<Container><ContainerId>c0ffee00-0000-4000-8000-000000000001</ContainerId>
<RoleInstanceList><RoleInstance><InstanceId>role-instance-7</InstanceId><State>Started</State></RoleInstance></RoleInstanceList></Container></GoalState>`;

/** The wireserver: the goal state, and the health report it is waiting for. */
export function wireserverApi(): Api {
  return (r) => {
    if (r.headers['x-ms-version'] !== '2012-11-30') return { status: 400 };
    const p = r.path;
    if (r.method === 'GET' && p === '/machine/?comp=goalstate') return text(GOAL_STATE, { 'Content-Type': 'text/xml' });
    if (r.method === 'POST' && p === '/machine/?comp=health') return { status: 200 };
    return undefined;
  };
}

/** An ovf-env.xml as the provisioning ISO carries it. */
export function ovfEnv(f: Fixture): string {
  const keys = (f.sshKeys ?? []).map((k) => `<PublicKey><Fingerprint>00</Fingerprint><Path>/home/rancher/.ssh/authorized_keys</Path><Value>${k}</Value></PublicKey>`).join('');
  const custom = f.userData !== undefined ? `<ns1:CustomData>${Buffer.from(f.userData).toString('base64')}</ns1:CustomData>` : '';
  return `<?xml version="1.0" encoding="utf-8"?><ns0:Environment xmlns:ns0="http://schemas.dmtf.org/ovf/environment/1" xmlns:ns1="http://schemas.microsoft.com/windowsazure">
<ns1:ProvisioningSection><ns1:LinuxProvisioningConfigurationSet><ns1:HostName>${f.hostname ?? ''}</ns1:HostName><ns1:UserName>rancher</ns1:UserName>
<ns1:SSH><ns1:PublicKeys>${keys}</ns1:PublicKeys></ns1:SSH>${custom}</ns1:LinuxProvisioningConfigurationSet></ns1:ProvisioningSection></ns0:Environment>`;
}

/** Hetzner: hetzner/v1/metadata (YAML) and hetzner/v1/userdata. */
export function hetznerApi(f: Fixture): Api {
  return (r) => {
    if (pathOf(r) === '/hetzner/v1/userdata') return text(f.userData ?? '');
    if (pathOf(r) !== '/hetzner/v1/metadata') return undefined;
    const keys = (f.sshKeys ?? []).map((k) => `- ${k}`).join('\n');
    return text(`hostname: ${f.hostname}\ninstance-id: ${f.instanceId}\nlocal-ipv4: ''\npublic-ipv4: 203.0.113.9\npublic-keys:${keys ? `\n${keys}` : ' []'}\nregion: eu-central\n`);
  };
}

/** Vultr: v1.json and the EC2-style latest/user-data. */
export function vultrApi(f: Fixture): Api {
  return (r) => {
    if (pathOf(r) === '/latest/user-data') return text(f.userData);
    if (pathOf(r) !== '/v1.json') return undefined;
    return json({ hostname: f.hostname, 'instance-v2-id': f.instanceId, instanceid: '12345', 'public-keys': f.sshKeys ?? [], region: { regioncode: 'AMS' } });
  };
}

/** Exoscale: 1.0/meta-data/… with public-keys the key itself, and 1.0/user-data. */
export function exoscaleApi(f: Fixture): Api {
  return (r) => {
    switch (pathOf(r)) {
      case '/1.0/meta-data/instance-id': return text(f.instanceId);
      case '/1.0/meta-data/local-hostname': return text(f.hostname);
      case '/1.0/meta-data/public-keys': return text(f.sshKeys?.[0]);
      case '/1.0/user-data': return text(f.userData);
      default: return undefined;
    }
  };
}

/** Equinix Metal (Packet): /metadata JSON and /userdata. */
export function packetApi(f: Fixture): Api {
  return (r) => {
    if (pathOf(r) === '/userdata') return text(f.userData);
    return pathOf(r) === '/metadata' ? json({ id: f.instanceId, hostname: f.hostname, ssh_keys: f.sshKeys ?? [], facility: 'am6' }) : undefined;
  };
}

// Amazon EC2: the instance metadata service at 169.254.169.254. IMDSv2 first
// (PUT a session token, send it with every GET); accounts that require it
// refuse tokenless requests. IMDSv1 (no token) is the fallback for services
// that do not know the PUT.
import type { CloudDatasource, FetchEnv } from './cloud-datasource';
import type { MetadataHttp } from './http';
import { readEc2Style } from './ec2-style';

const TOKEN_TTL_S = '21600';

async function sessionHeaders(http: MetadataHttp, env: FetchEnv): Promise<Record<string, string>> {
  const res = await http.request('PUT', '/latest/api/token', { 'X-aws-ec2-metadata-token-ttl-seconds': TOKEN_TTL_S });
  const token = res.body.toString('utf8').trim();
  if (res.status === 200 && token) return { 'X-aws-ec2-metadata-token': token };
  env.note(`ec2: no IMDSv2 token (PUT /latest/api/token: HTTP ${res.status}); using IMDSv1`);
  return {};
}

export const ec2: CloudDatasource = {
  name: 'ec2',
  endpoint: 'http://169.254.169.254',
  // Nitro instances say "Amazon EC2"; Xen ones have an "ec2…" UUID and an Amazon BIOS.
  detect: (d) => /amazon/i.test([d.sys_vendor, d.bios_vendor, d.bios_version].join(' ')) || /^ec2/i.test(d.product_uuid ?? ''),
  async fetch(env) {
    const http = env.http(this.endpoint);
    return readEc2Style(http, '/latest', await sessionHeaders(http, env));
  },
};

// Alibaba Cloud ECS: the EC2 layout at 100.100.100.200 (not link-local: the
// VPC routes it), with `public-keys/` listing `0/`.
import type { CloudDatasource } from './cloud-datasource';
import { readEc2Style } from './ec2-style';

export const aliyun: CloudDatasource = {
  name: 'aliyun',
  endpoint: 'http://100.100.100.200',
  detect: (d) => /alibaba cloud/i.test(d.product_name ?? ''),
  fetch(env) {
    return readEc2Style(env.http(this.endpoint), '/latest');
  },
};

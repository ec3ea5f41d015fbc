// Microsoft Azure: the instance metadata service (IMDS, `Metadata: true`) at
// 169.254.169.254 for the VM id, name and keys; the custom data from the OVF
// environment of the provisioning medium (IMDS userData when there is none);
// and, once used, "ready" reported to the wireserver, without which Azure
// keeps the VM in "provisioning" and finally fails it.
import { bytesOf, field, str, type CloudDatasource } from './cloud-datasource';
import { parseGoalState, parseOvfEnv, readyReport } from './azure-xml';

const IMDS_VERSION = '2021-02-01';
/** The wireserver's fixed address (DHCP option 245 names it too, always this one in practice). */
export const WIRESERVER = 'http://168.63.129.16';
const WIRE_HEADERS = { 'x-ms-version': '2012-11-30', 'x-ms-agent-name': 'ros' };
/** Azure's chassis asset tag: the one DMI string every Azure VM has. */
const AZURE_ASSET_TAG = '7783-7084-3265-9085-8269-3286-77';

function imdsKeys(compute: unknown): string[] {
  const keys = field(compute, 'publicKeys');
  return Array.isArray(keys) ? keys.map((k) => str(k, 'keyData')).filter((k): k is string => !!k) : [];
}

export const azure: CloudDatasource = {
  name: 'azure',
  endpoint: 'http://169.254.169.254',
  detect: (d) => d.chassis_asset_tag === AZURE_ASSET_TAG,
  async fetch(env) {
    const imds = await env.http(this.endpoint).json(`/metadata/instance?api-version=${IMDS_VERSION}`, { Metadata: 'true' });
    if (imds === null) return null;
    const compute = field(imds, 'compute');
    const instanceId = str(compute, 'vmId');
    if (!instanceId) throw new Error('azure: IMDS has no compute.vmId');
    const xml = env.ovfEnv?.() ?? null;
    if (!xml) env.note('azure: no provisioning medium with ovf-env.xml; custom data comes from IMDS userData only');
    const ovf = xml ? parseOvfEnv(xml) : { hostname: undefined, sshKeys: [], customData: null };
    const imdsUserData = bytesOf(compute, 'userData');
    return {
      instanceId,
      hostname: ovf.hostname ?? str(field(compute, 'osProfile'), 'computerName') ?? str(compute, 'name'),
      sshKeys: [...new Set([...ovf.sshKeys, ...imdsKeys(compute)])],
      userData: ovf.customData ?? (imdsUserData ? Buffer.from(imdsUserData.toString(), 'base64') : null),
      vendorData: null,
    };
  },
  async ready(env) {
    const wire = env.http(WIRESERVER);
    const goal = await wire.text('/machine/?comp=goalstate', WIRE_HEADERS);
    const state = goal ? parseGoalState(goal) : null;
    if (!state) throw new Error('azure: the wireserver goal state has no incarnation, container or role instance');
    const res = await wire.request('POST', '/machine/?comp=health', { ...WIRE_HEADERS, 'Content-Type': 'text/xml; charset=utf-8' }, readyReport(state));
    if (res.status !== 200) throw new Error(`azure: reporting ready: HTTP ${res.status}`);
    env.note(`azure: reported ready (incarnation ${state.incarnation})`);
  },
};

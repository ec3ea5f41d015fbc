// The two small XML documents of Azure provisioning (pure): the OVF
// environment on the provisioning medium, and the wireserver's goal state and
// health report. Read by element name (namespaces ignored): both are flat and
// machine-written, not worth an XML library in PID 1.

function elements(xml: string, name: string): string[] {
  const re = new RegExp(`<(?:[\\w-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w-]+:)?${name}>`, 'g');
  return [...xml.matchAll(re)].map((m) => m[1] ?? '');
}

const first = (xml: string, name: string) => elements(xml, name)[0]?.trim() || undefined;

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

export interface OvfEnv {
  hostname?: string;
  sshKeys: string[];
  customData: Buffer | null;
}

/** ovf-env.xml: HostName, the Value of each SSH PublicKey, CustomData (base64). */
export function parseOvfEnv(xml: string): OvfEnv {
  const custom = first(xml, 'CustomData');
  const keys = elements(xml, 'PublicKey').map((k) => first(k, 'Value')).filter((v): v is string => !!v).map(unescape);
  return {
    hostname: first(xml, 'HostName'),
    sshKeys: keys,
    customData: custom ? Buffer.from(custom.replace(/\s+/g, ''), 'base64') : null,
  };
}

export interface GoalState {
  incarnation: string;
  containerId: string;
  instanceId: string;
}

export function parseGoalState(xml: string): GoalState | null {
  const incarnation = first(xml, 'Incarnation');
  const containerId = first(first(xml, 'Container') ?? '', 'ContainerId');
  const instanceId = first(first(xml, 'RoleInstance') ?? '', 'InstanceId');
  return incarnation && containerId && instanceId ? { incarnation, containerId, instanceId } : null;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The "this role instance is ready" report for the wireserver's health endpoint. */
export function readyReport(g: GoalState): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<Health xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">',
    `<GoalStateIncarnation>${esc(g.incarnation)}</GoalStateIncarnation>`,
    `<Container><ContainerId>${esc(g.containerId)}</ContainerId><RoleInstanceList><Role>`,
    `<InstanceId>${esc(g.instanceId)}</InstanceId><Health><State>Ready</State></Health>`,
    '</Role></RoleInstanceList></Container></Health>',
    '',
  ].join('\n');
}

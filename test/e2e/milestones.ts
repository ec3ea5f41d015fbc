export interface Milestone {
  name: string;
  /** Seconds since the kernel started (/proc/uptime) when ros printed the milestone. */
  uptime: number;
  /** Extra ` key=value` fields after the uptime, e.g. { reason: 'poweroff' }. */
  fields: Record<string, string>;
}

/**
 * `[ros] milestone=<name> uptime=<float>[ key=value…]` on a line of its own; a printk
 * timestamp prefix is allowed in case the line went through /dev/kmsg.
 * `namePattern` is a regexp source; group 1 is the name, 2 the uptime, 3 the extra fields.
 */
export function milestonePattern(namePattern: string, flags = ''): RegExp {
  return new RegExp(
    String.raw`(?:^|\n)(?:\[\s*\d+\.\d+\] )?\[ros\] milestone=(${namePattern}) uptime=(\d+(?:\.\d+)?)((?: \S+=\S*)*) *(?=\n)`,
    flags,
  );
}

/** Every milestone line in `text`, in order. */
export function parseMilestones(text: string): Milestone[] {
  return [...text.matchAll(milestonePattern(String.raw`\S+`, 'g'))].map((m) => ({
    name: m[1] ?? '',
    uptime: Number(m[2]),
    fields: Object.fromEntries(
      (m[3] ?? '')
        .trim()
        .split(' ')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    ),
  }));
}

// Netmasks as clouds write them, to the prefix lengths rancher.network takes (pure).

/** The eight groups of an IPv6 address, `::` expanded; null when it is not one. */
function ipv6Groups(addr: string): string[] | null {
  const halves = addr.split('::');
  if (halves.length > 2) return null;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  return groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g)) ? groups : null;
}

/** 255.255.192.0 → 18, ffff:ffff:ffff:ffff:: → 64; null for a mask that is not a run of ones. */
export function prefixOf(netmask: string): number | null {
  let bits: string;
  if (netmask.includes(':')) {
    const groups = ipv6Groups(netmask);
    if (!groups) return null;
    bits = groups.map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('');
  } else {
    const parts = netmask.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return null;
    bits = parts.map((p) => p.toString(2).padStart(8, '0')).join('');
  }
  if (!/^1*0*$/.test(bits)) return null;
  const zero = bits.indexOf('0');
  return zero === -1 ? bits.length : zero;
}

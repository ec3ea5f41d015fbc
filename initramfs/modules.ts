// Modules shipped beyond the ones every boot loads (src/init/stages/kernel.ts),
// so `rancher.modules` can name them.
export const EXTRA_MODULES = [
  'loop', 'tun', 'macvlan', 'ipvlan', 'vxlan', 'dummy', 'bonding', '8021q',
  'xfs', 'btrfs', 'squashfs', 'fuse', 'nfs', 'nfsv4', '9p', '9pnet_virtio',
  'dm_mod', 'dm_thin_pool', 'virtio_rng', 'virtio_balloon', 'i6300esb', 'ip_vs', 'ip_vs_rr', 'xt_ipvs',
  'xt_multiport', 'xt_state', 'xt_REDIRECT', 'xt_recent', 'xt_set', 'ip_set', 'nft_masq', 'nft_nat', 'nft_ct',
];

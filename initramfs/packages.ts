// The Debian 13 (trixie) packages the image is made of, each with the reason
// it is here. Versions are pinned in packages.lock (written by `make lock`);
// the kernel is pinned through the linux-image-amd64 metapackage.
import { KERNEL_META } from './lib/deb';

export interface Pkg {
  name: string;
  why: string;
}

export const PACKAGES: Pkg[] = [
  { name: KERNEL_META, why: 'the 6.12 LTS kernel (dist/vmlinuz) and its modules, pinned through the linux-image-amd64 metapackage' },
  { name: 'busybox', why: 'shell, getty, login, mount, ip, udhcpc… for the host and the base image (dynamic: its shell honours PATH)' },
  { name: 'busybox-static', why: 'the busybox image preloaded into the user Docker (needs no libc)' },
  { name: 'docker.io', why: 'dockerd (system and user daemons) and docker-proxy' },
  { name: 'docker-cli', why: 'the docker CLI (docker, system-docker in the console)' },
  { name: 'containerd', why: 'containerd and containerd-shim-runc-v2, which dockerd supervises' },
  { name: 'runc', why: 'the OCI runtime' },
  { name: 'tini', why: 'docker-init, for `docker run --init`' },
  { name: 'iptables', why: 'NAT and filter rules for the user Docker bridge (nft backend)' },
  { name: 'openntpd', why: 'ntpd for the ntp catalogue service (Debian\'s busybox has no ntpd); needs only libc' },
  { name: 'coreutils', why: 'GNU stat only: busybox stat cannot name cgroup2 and other newer file system types' },
  { name: 'e2fsprogs', why: 'mkfs.ext4 and e2fsck for the RANCHER_STATE disk' },
  { name: 'dropbear-bin', why: 'sshd of the console (small: libc, libcrypt, libtomcrypt, libtommath, zlib)' },
  { name: 'sudo', why: '`sudo ros …` for rancher over ssh, as on RancherOS (NOPASSWD for rancher)' },
  { name: 'libpam0g', why: 'sudo' },
  { name: 'libpam-modules', why: 'sudo: pam_permit and pam_deny only' },
  { name: 'libaudit1', why: 'sudo, libpam0g' },
  { name: 'libapparmor1', why: 'sudo' },
  { name: 'libssl3t64', why: 'sudo (libsudo_util links libcrypto)' },
  { name: 'libcap-ng0', why: 'libaudit1' },
  { name: 'extlinux', why: '`ros install`: the boot loader written to the installed partition (needs only libc)' },
  { name: 'syslinux-common', why: '`ros install`: mbr.bin, the MBR boot code; ldlinux.c32 for the ISO' },
  { name: 'isolinux', why: 'dist/ros.iso: the El Torito boot image and the hybrid MBR (not in the initramfs)' },
  // shared libraries of the above and of node (the SEA)
  { name: 'libc6', why: 'glibc and the dynamic loader' },
  { name: 'libstdc++6', why: 'node' },
  { name: 'libgcc-s1', why: 'node' },
  { name: 'libsystemd0', why: 'dockerd (journald log driver)' },
  { name: 'libcap2', why: 'libsystemd0' },
  { name: 'libgcrypt20', why: 'libsystemd0' },
  { name: 'libgpg-error0', why: 'libgcrypt20' },
  { name: 'liblz4-1', why: 'libsystemd0' },
  { name: 'liblzma5', why: 'libsystemd0' },
  { name: 'libzstd1', why: 'libsystemd0' },
  { name: 'libdevmapper1.02.1', why: 'dockerd' },
  { name: 'libselinux1', why: 'libdevmapper' },
  { name: 'libpcre2-8-0', why: 'libselinux1' },
  { name: 'libudev1', why: 'libdevmapper' },
  { name: 'libseccomp2', why: 'runc' },
  { name: 'libxtables12', why: 'iptables' },
  { name: 'libmnl0', why: 'iptables' },
  { name: 'libnftnl11', why: 'iptables' },
  { name: 'libip4tc2', why: 'iptables' },
  { name: 'libip6tc2', why: 'iptables' },
  { name: 'libnetfilter-conntrack3', why: 'iptables' },
  { name: 'libnfnetlink0', why: 'iptables' },
  { name: 'libext2fs2t64', why: 'e2fsprogs' },
  { name: 'libcom-err2', why: 'e2fsprogs' },
  { name: 'libblkid1', why: 'e2fsprogs' },
  { name: 'libuuid1', why: 'e2fsprogs' },
  { name: 'libtomcrypt1', why: 'dropbear' },
  { name: 'libtommath1', why: 'dropbear' },
  { name: 'libgmp10', why: 'libtomcrypt1' },
  { name: 'zlib1g', why: 'dropbear' },
  { name: 'libcrypt1', why: 'dropbear (password logins check /etc/shadow with crypt)' },
  { name: 'libss2', why: 'e2fsprogs (debugfs, not shipped) — kept for e2fsck' },
];

// `make image`: dist/vmlinuz and dist/initrd.img from Debian packages and
// dist/ros. No Docker daemon and no registry: the system images are written
// as docker-save tarballs from the same package contents.
import { closeSync, copyFileSync, existsSync, symlinkSync, openSync, writeSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { PACKAGES } from './packages';
import { fetchPackages } from './lib/deb';
import { Tree } from './lib/tree';
import { progress, run } from './lib/run';
import { S_IFCHR, S_IFDIR, S_IFLNK, S_IFREG, writeCpio, type CpioEntry } from './lib/cpio';
import { writeDockerSave } from './lib/docker-save';
import { writeIso } from './iso';
import { describeKey, signingKey, trustedKeyFiles } from './signing';
import { SHIPPED_DRIVERS } from '../src/init/stages/kernel';
import { EXTRA_MODULES } from './modules';
import { loadOrder, moduleName, parseModulesDep } from '../src/sys/modules';
import { ensureImages, readImageIndex } from '../src/docker/images';
import { SYSTEM_STORE, SYSTEM_STORE_PARTS } from '../src/init/system-store';
import { startTreeDockerd } from './lib/tree-dockerd';
import { isPie, unpie } from './lib/unpie';

const ROOT = join(__dirname, '..');
const BUILD = join(ROOT, 'build');
// `make release` builds another version beside the default build, into its own directory.
const DIST = process.env.ROS_OUT_DIR ? join(ROOT, process.env.ROS_OUT_DIR) : join(ROOT, 'dist');
const VERSION = process.env.ROS_VERSION || (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const BASE_TAG = `ros/os-base:${VERSION}`;

/** Engine binaries: on the host for system-docker, bind-mounted into services. */
const ENGINE: [string, string][] = [
  ['/usr/sbin/dockerd', '/usr/bin/dockerd'],
  ['/usr/bin/docker', '/usr/bin/docker'],
  ['/usr/sbin/docker-proxy', '/usr/bin/docker-proxy'],
  ['/usr/bin/containerd', '/usr/bin/containerd'],
  ['/usr/bin/containerd-shim-runc-v2', '/usr/bin/containerd-shim-runc-v2'],
  ['/usr/sbin/runc', '/usr/bin/runc'],
  ['/usr/bin/tini-static', '/usr/bin/docker-init'],
];

const time = <T>(what: string, fn: () => T): T => {
  const t0 = Date.now();
  const out = fn();
  progress(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return out;
};

/**
 * busybox and its applet links. The host and os-base get Debian's dynamic
 * `busybox`, whose shell runs commands found in PATH (GNU stat among them);
 * busybox-static's shell prefers its own applets whatever PATH says. The
 * dynamic one needs Debian 13's libc, so it lists its applets through the
 * tree's own dynamic loader, not the build machine's.
 */
function addBusybox(t: Tree, kind: 'dynamic' | 'static'): void {
  let applets: string;
  if (kind === 'dynamic') {
    t.copyElf('/bin/busybox');
    const libs = t.path('/usr/lib/x86_64-linux-gnu');
    applets = run(join(libs, 'ld-linux-x86-64.so.2'), ['--library-path', libs, t.path('/usr/bin/busybox'), '--list-full']);
  } else {
    t.copy('/bin/busybox');
    applets = run(t.path('/usr/bin/busybox'), ['--list-full']);
  }
  for (const applet of applets.split('\n').filter(Boolean)) {
    if (applet.endsWith('bin/busybox') || existsSync(t.path(applet))) continue;
    t.symlink('/bin/busybox', applet);
  }
}

/**
 * A PIE engine binary (Debian's dockerd, docker, docker-proxy) rebased to a
 * fixed address with its relocations applied: each start then skips
 * rewriting, and keeping private, its pointer data (docs/architecture.md,
 * "Engine binaries at a fixed address").
 */
function fixAddress(file: string): void {
  const elf = readFileSync(file);
  if (!isPie(elf)) return;
  const { image, applied } = unpie(elf);
  writeFileSync(file, image);
  progress(`${file.slice(file.lastIndexOf('/') + 1)}: ${applied} relocations applied at build time`);
}

/** The unpacked package roots, without `except` (two packages ship /usr/bin/busybox). */
function rootsOf(pkgs: Map<string, string>, except: string): string[] {
  return [...pkgs].filter(([name]) => name !== except).map(([, root]) => root);
}

/** Modes git cannot keep: secrets and files sudo refuses unless they are 0440. */
const PRIVATE_FILES: Record<string, number> = { '/etc/shadow': 0o600, '/etc/sudoers': 0o440 };

function addStaticFiles(t: Tree): void {
  const dir = join(ROOT, 'initramfs/files');
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel))) {
      const r = `${rel}/${name}`;
      const st = statSync(join(dir, r));
      if (st.isDirectory()) walk(r);
      else t.write(r, readFileSync(join(dir, r)), PRIVATE_FILES[r] ?? st.mode & 0o777);
    }
  };
  walk('');
  t.write('/etc/os-release', `NAME="ros"\nID=ros\nVERSION="${VERSION}"\nVERSION_ID=${VERSION}\nPRETTY_NAME="ros ${VERSION}"\nHOME_URL="https://github.com/"\n`);
}

/** The userland shared by the host and the os-base image. */
function buildBase(pkgs: Map<string, string>, enginePaths: string[]): Tree {
  const t = new Tree(join(BUILD, 'trees/base'), rootsOf(pkgs, 'busybox-static'));
  for (const d of ['proc', 'sys', 'dev', 'run', 'tmp', 'root', 'home', 'opt', 'mnt', 'var/lib', 'var/log', 'etc/docker']) t.mkdir(d);
  t.mkdir('tmp', 0o1777);
  t.symlink('../run', 'var/run');
  addBusybox(t, 'dynamic');
  t.copy('/lib64/ld-linux-x86-64.so.2');
  // GNU stat replaces busybox's applet: `stat -fc %T /sys/fs/cgroup` must say cgroup2fs.
  t.copyElf('/usr/bin/stat');
  // Debian's busybox has no nice applet; the console's setup starts niced (system-services/console.yml).
  t.copyElf('/usr/bin/nice');
  t.copyElf('/usr/sbin/xtables-nft-multi');
  // iptables resolves every match and target, even RETURN, through these plugins.
  const xtables = '/usr/lib/x86_64-linux-gnu/xtables';
  for (const so of readdirSync(join(pkgs.get('iptables') ?? '', xtables))) t.copyElf(`${xtables}/${so}`);
  for (const tool of ['iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore']) {
    t.symlink('xtables-nft-multi', `/usr/sbin/${tool}`);
  }
  // OpenNTPD privsep: user ntpd, chroot in its home, config and drift under /var/lib/openntpd.
  t.copyElf('/usr/sbin/ntpd');
  t.copy('/usr/sbin/ntpctl');
  // The state disk (format only blank disks, check) and `ros install`, which runs in the console.
  t.copyElf('/sbin/mke2fs');
  t.symlink('mke2fs', '/sbin/mkfs.ext4');
  t.copyElf('/sbin/e2fsck');
  t.copy('/etc/mke2fs.conf');
  // GRUB for BIOS and UEFI (`ros install`); grub-install makes both images from these modules.
  t.copyElf('/usr/sbin/grub-install');
  for (const target of ['i386-pc', 'x86_64-efi']) {
    const dir = `/usr/lib/grub/${target}`;
    const from = [...pkgs.values()].find((root) => existsSync(join(root, dir)));
    if (!from) throw new Error(`no package holds ${dir}`);
    cpSync(join(from, dir), t.path(dir), { recursive: true });
  }
  t.copyElf('/usr/sbin/mkfs.fat');
  // Delta bundles are zstd patches against the running slot (docs/architecture.md, "Delta bundles").
  t.copyElf('/usr/bin/zstd');
  // sshd of the console; host keys are made on first start and kept on the state disk.
  t.copyElf('/usr/sbin/dropbear');
  t.copyElf('/usr/bin/dropbearkey');
  t.copyElf('/usr/bin/dropbearconvert'); // rancher.ssh.keys come in OpenSSH format
  // sudo (setuid root, kept by dpkg -x and the image tar) with its policy plugin and two PAM modules.
  t.copyElf('/usr/bin/sudo');
  t.copyElf('/usr/libexec/sudo/sudoers.so');
  for (const pam of ['pam_permit.so', 'pam_deny.so']) t.copyElf(`/lib/x86_64-linux-gnu/security/${pam}`);
  t.mkdir('/var/lib/openntpd/run');
  t.mkdir('/var/lib/openntpd/db');
  t.write('/etc/openntpd/ntpd.conf', 'servers pool.ntp.org\n');
  // Libraries of the binaries that are bind-mounted in (engine, ros = node).
  for (const bin of enginePaths) t.copyLibsFor(bin);
  t.copyLibsFor(join(DIST, 'ros')); // node: the SEA's own runtime
  addStaticFiles(t);
  t.write('/etc/ld.so.conf', '/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu\n');
  run('ldconfig', ['-r', t.root]);
  return t;
}

function buildBusyboxImage(pkgs: Map<string, string>): string {
  const t = new Tree(join(BUILD, 'trees/busybox'), rootsOf(pkgs, 'busybox'));
  addBusybox(t, 'static');
  for (const d of ['etc', 'tmp', 'root', 'home', 'proc', 'sys', 'dev', 'var']) t.mkdir(d);
  t.mkdir('tmp', 0o1777);
  t.write('/etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n');
  t.write('/etc/group', 'root:x:0:\nnogroup:x:65534:\n');
  return t.root;
}

function writeImages(dir: string, images: { name: string; root: string; tag: string; cmd?: string[] }[]): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const index = images.map((img) => {
    const file = `${img.name}.tar`;
    const id = writeDockerSave(img.root, { tag: img.tag, cmd: img.cmd }, join(dir, file), join(BUILD, 'tmp', img.name));
    progress(`image ${img.tag} ${id.slice(0, 19)} ${(statSync(join(dir, file)).size / 1048576).toFixed(1)} MiB`);
    return { file, tag: img.tag, id };
  });
  writeFileSync(join(dir, 'index.json'), `${JSON.stringify({ images: index }, null, 2)}\n`);
}

function osConfig(): string {
  const base = parseYaml(readFileSync(join(ROOT, 'system-services/os-config.yml'), 'utf8')) as { rancher: { services: Record<string, unknown> } };
  for (const f of readdirSync(join(ROOT, 'system-services')).filter((n) => n.endsWith('.yml') && n !== 'os-config.yml').sort()) {
    const text = readFileSync(join(ROOT, 'system-services', f), 'utf8').replaceAll('${ROS_VERSION}', VERSION);
    Object.assign(base.rancher.services, parseYaml(text) as Record<string, unknown>);
  }
  return `# generated by initramfs/build.ts from system-services/\n${stringifyYaml(base)}`;
}

/** The bundled catalogue: /usr/share/ros/services/<name>.yml and an index. */
function writeCatalogue(t: Tree): void {
  const dir = join(ROOT, 'system-services/catalogue');
  const services = readdirSync(dir).filter((f) => f.endsWith('.yml')).sort().map((file) => {
    const text = readFileSync(join(dir, file), 'utf8').replaceAll('${ROS_VERSION}', VERSION);
    t.write(`/usr/share/ros/services/${file}`, text);
    const map = parseYaml(text) as Record<string, { labels?: Record<string, string> }>;
    const name = file.replace(/\.yml$/, '');
    const description = text.split('\n').filter((l) => l.startsWith('#')).map((l) => l.replace(/^#\s?/, '')).join(' ');
    const scope = map[name]?.labels?.['io.rancher.os.scope'] === 'user' ? 'user' : 'system';
    return { name, file, description, scope };
  });
  t.write('/usr/share/ros/services/index.json', `${JSON.stringify({ services }, null, 2)}\n`);
}

function addModules(t: Tree, kernelPkg: string, kernelRoot: string): { release: string; count: number } {
  const release = readdirSync(join(kernelRoot, 'usr/lib/modules'))[0] ?? '';
  const src = join(kernelRoot, 'usr/lib/modules', release);
  if (!existsSync(join(src, 'modules.dep'))) {
    // The package holds no modules.dep (its postinst makes it); depmod of any
    // kmod version finds the modules through <base>/lib/modules.
    if (!existsSync(join(kernelRoot, 'lib'))) symlinkSync('usr/lib', join(kernelRoot, 'lib'));
    run('depmod', ['-b', kernelRoot, release]);
  }
  const depText = readFileSync(join(src, 'modules.dep'), 'utf8');
  const { paths, unknown } = loadOrder(parseModulesDep(depText), [...SHIPPED_DRIVERS, ...EXTRA_MODULES]);
  const builtin = new Set(readFileSync(join(src, 'modules.builtin'), 'utf8').split('\n').filter(Boolean).map(moduleName));
  const notFound = unknown.filter((m) => !builtin.has(moduleName(m)));
  if (notFound.length > 0) progress(`WARNING modules not in ${kernelPkg}: ${notFound.join(', ')}`);
  const dst = `/lib/modules/${release}`;
  const keep = new Set(paths);
  // Debian 13 ships modules xz-compressed. They are stored plain: the initrd
  // is compressed as a whole anyway, finit_module and busybox modprobe load
  // them without the kernel's decompressor, and no boot pays for xz.
  const plain = (p: string): string => p.replace(/\.ko\.xz$/, '.ko');
  for (const p of paths) {
    mkdirSync(join(t.path(dst), p, '..'), { recursive: true });
    if (p.endsWith('.xz')) writeFileSync(join(t.path(dst), plain(p)), execFileSync('xz', ['-dc', join(src, p)], { maxBuffer: 64 << 20 }));
    else copyFileSync(join(src, p), join(t.path(dst), p));
  }
  // modules.dep for the subset, in depmod's format.
  const depLines = depText.split('\n').filter((l) => keep.has(l.split(':')[0] ?? ''));
  t.write(`${dst}/modules.dep`, `${depLines.map((l) => l.replaceAll('.ko.xz', '.ko')).join('\n')}\n`);
  // Aliases let busybox modprobe (the kernel's request_module helper, and
  // dockerd's) find modules by alias, e.g. crypto-crc32c.
  const names = new Set(paths.map(moduleName));
  const aliases = readFileSync(join(src, 'modules.alias'), 'utf8').split('\n').filter((l) => names.has(moduleName(l.split(' ')[2] ?? '')));
  t.write(`${dst}/modules.alias`, `${aliases.join('\n')}\n`);
  for (const f of ['modules.builtin', 'modules.order', 'modules.builtin.modinfo']) copyFileSync(join(src, f), join(t.path(dst), f));
  return { release, count: paths.length };
}

function buildHost(base: Tree, pkgs: Map<string, string>, kernel: string): Tree {
  const t = new Tree(join(BUILD, 'trees/host'), rootsOf(pkgs, 'busybox-static'));
  // The new tree has its merged-/usr links already.
  cpSync(base.root, t.root, { recursive: true, verbatimSymlinks: true, filter: (src) => !/^\/(bin|sbin|lib|lib64)$/.test(src.slice(base.root.length)) });
  for (const [from, to] of ENGINE) {
    t.copy(from, to);
    fixAddress(t.path(to));
  }
  rmSync(t.path('/usr/bin/ros'), { force: true });
  copyFileSync(join(DIST, 'ros'), t.path('/usr/bin/ros'));
  // The initramfs' own /init (initramfs/early/init) hands over to this one.
  t.symlink('/usr/bin/ros', '/sbin/init');
  const mods = addModules(t, kernel, pkgs.get(kernel) ?? '');
  progress(`modules: ${mods.count} for ${mods.release}`);
  t.write('/usr/share/ros/os-config.yml', osConfig());
  writeCatalogue(t);
  const key = signingKey(ROOT);
  progress(describeKey(key));
  for (const [name, pem] of Object.entries(trustedKeyFiles(ROOT, key))) t.write(`/usr/share/ros/keys/${name}`, pem);
  cpSync(join(BUILD, 'images'), t.path('/usr/share/ros/images'), { recursive: true });
  return t;
}

/** Modules the early /init loads to mount the root image, plain .ko files (addModules decompressed them). */
const EARLY_MODULES = ['loop', 'squashfs', 'overlay'];

/**
 * The root image: the host tree as squashfs, read on demand (docs/architecture.md,
 * "The root file system"). zstd at level 19 in 1 MiB blocks: measured on this
 * tree, 126 MB against 139 MB at level 15 and 111 MB for xz, whose
 * decompression every boot would pay under TCG. Times and owners are fixed so
 * two builds of one tree give one image, and a delta between releases stays small.
 */
function writeRootImage(t: Tree, out: string): void {
  rmSync(out, { force: true });
  // ROS_SQUASHFS_LEVEL: for builds whose size nobody ships (the release-delta test's two
  // builds); level 19 takes 95 s of the build's 2 cores.
  const level = process.env.ROS_SQUASHFS_LEVEL ?? '19';
  if (!/^([1-9]|1[0-9]|2[0-2])$/.test(level)) throw new Error(`ROS_SQUASHFS_LEVEL=${level}: a zstd level, 1 to 22`);
  run('mksquashfs', [t.root, out, '-comp', 'zstd', '-Xcompression-level', level, '-b', '1M', '-noappend', '-all-root', '-mkfs-time', '0', '-all-time', '0', '-no-progress', '-quiet']);
}

/**
 * The initrd: a small cpio, not compressed (the root image inside already is),
 * holding a static busybox, the early /init, the modules it loads and the root image.
 */
function writeInitrd(t: Tree, busybox: string, out: string): void {
  const sqsh = join(BUILD, 'root.sqsh');
  time('root image', () => writeRootImage(t, sqsh));
  const release = readdirSync(t.path('/lib/modules'))[0] ?? '';
  const modules = parseModulesDep(readFileSync(t.path(`/lib/modules/${release}/modules.dep`), 'utf8'));
  const { paths, unknown } = loadOrder(modules, EARLY_MODULES);
  if (unknown.length > 0 || paths.length !== EARLY_MODULES.length) {
    // The early /init loads exactly these, by name, with no dependencies to resolve.
    throw new Error(`early modules: expected ${EARLY_MODULES.join(', ')} without dependencies, got ${paths.join(', ')}; not found: ${unknown.join(', ')}`);
  }
  const file = (name: string, data: Buffer, perm = 0o644): CpioEntry => ({ name, mode: S_IFREG | perm, data });
  const image = readFileSync(sqsh);
  const dir = (name: string): CpioEntry => ({ name, mode: S_IFDIR | 0o755 });
  const entries: CpioEntry[] = [
    // The kernel opens /dev/console for init before anything is mounted.
    dir('dev'),
    { name: 'dev/console', mode: S_IFCHR | 0o600, rdevMajor: 5, rdevMinor: 1 },
    { name: 'dev/null', mode: S_IFCHR | 0o666, rdevMajor: 1, rdevMinor: 3 },
    dir('bin'),
    file('bin/busybox', readFileSync(busybox), 0o755),
    ...['sh', 'mount', 'mkdir', 'insmod', 'switch_root', 'echo'].map((a): CpioEntry => ({ name: `bin/${a}`, mode: S_IFLNK | 0o777, data: Buffer.from('busybox') })),
    dir('lib'),
    dir('lib/modules'),
    ...paths.map((p) => file(`lib/modules/${moduleName(p)}.ko`, readFileSync(t.path(`/lib/modules/${release}/${p.replace(/\.ko\.xz$/, '.ko')}`)))),
    file('init', readFileSync(join(ROOT, 'initramfs/early/init')), 0o755),
    // Named by its hash: a copy on the state disk with this name is this image (src/init/stages/root-image.ts).
    file(`root-${createHash('sha256').update(image).digest('hex')}.sqsh`, image),
  ];
  const fd = openSync(out, 'w');
  try {
    writeCpio(entries, (b) => void writeSync(fd, b));
  } finally {
    closeSync(fd);
  }
  rmSync(sqsh);
}

/**
 * system-docker's store with the system images loaded, made by the image's
 * own dockerd at build time: a boot copies it instead of running `docker
 * load` (docs/architecture.md, "The system image store"). Needs root; without
 * it the image has no store and a boot loads the images as before.
 */
async function writeSystemStore(t: Tree): Promise<void> {
  if (process.getuid?.() !== 0) {
    progress('WARNING not root: no ready system image store; each boot from RAM will load the system images');
    return;
  }
  const daemon = await startTreeDockerd(t.root, { args: ['--storage-driver=overlay2'] });
  try {
    const loaded = await ensureImages(daemon.docker, join(BUILD, 'images/system'));
    progress(`system image store: ${loaded.join(', ')}`);
  } finally {
    await daemon.stop({ keep: true });
  }
  for (const part of SYSTEM_STORE_PARTS) {
    cpSync(join(daemon.dir, 'data', part), t.path(`${SYSTEM_STORE}/${part}`), { recursive: true, verbatimSymlinks: true });
  }
  rmSync(daemon.dir, { recursive: true, force: true });
  // The store is the only copy the image ships: a used data root gets the images by a merge
  // (src/init/store-merge.ts), so the tarballs would be 36 MiB more for nothing. The index
  // stays: it says which images system-docker must have.
  for (const entry of readImageIndex(join(BUILD, 'images/system'))) rmSync(t.path(`/usr/share/ros/images/system/${entry.file}`));
}

async function main(): Promise<void> {
  mkdirSync(DIST, { recursive: true });
  if (!existsSync(join(DIST, 'ros'))) throw new Error(`${join(DIST, 'ros')} is missing: run \`make dist/ros\` first`);
  const { roots: pkgs, kernel } = time('packages', () => fetchPackages(PACKAGES.map((p) => p.name), join(ROOT, 'initramfs/packages.lock'), BUILD));
  const base = time('base tree', () => buildBase(pkgs, ENGINE.map(([from]) => from)));
  time('system images', () => writeImages(join(BUILD, 'images/system'), [{ name: 'os-base', root: base.root, tag: BASE_TAG }]));
  time('user images', () => writeImages(join(BUILD, 'images/user'), [{ name: 'busybox', root: buildBusyboxImage(pkgs), tag: 'busybox:latest', cmd: ['sh'] }]));
  const host = time('host tree', () => buildHost(base, pkgs, kernel));
  const t1 = Date.now();
  await writeSystemStore(host);
  progress(`system image store: ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  const kernelRoot = pkgs.get(kernel) ?? '';
  const vmlinuz = readdirSync(join(kernelRoot, 'boot')).find((f) => f.startsWith('vmlinuz-'));
  if (!vmlinuz) throw new Error(`${kernel} has no /boot/vmlinuz-*`);
  copyFileSync(join(kernelRoot, 'boot', vmlinuz), join(DIST, 'vmlinuz'));
  const t0 = Date.now();
  writeInitrd(host, join(BUILD, 'trees/busybox/usr/bin/busybox'), join(DIST, 'initrd.img.tmp'));
  run('mv', [join(DIST, 'initrd.img.tmp'), join(DIST, 'initrd.img')]);
  progress(`initrd: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // A release needs no ISO (ROS_ISO=0): a bundle holds only the kernel and initrd.
  const iso = process.env.ROS_ISO !== '0';
  if (iso) time('iso', () =>
    writeIso({
      dist: DIST,
      staging: join(BUILD, 'iso'),
      isolinuxRoot: pkgs.get('isolinux') ?? '',
      syslinuxRoot: pkgs.get('syslinux-common') ?? '',
      // Debian 13's grub-mkimage needs Debian 13's libc: run it through the host tree's loader.
      grubMkimage: [host.path('/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'), '--library-path', host.path('/usr/lib/x86_64-linux-gnu'), join(pkgs.get('grub-common') ?? '', 'usr/bin/grub-mkimage')],
      grubEfiModules: join(pkgs.get('grub-efi-amd64-bin') ?? '', 'usr/lib/grub/x86_64-efi'),
      out: join(DIST, 'ros.iso'),
    }),
  );
  const unpacked = Number(run('du', ['-sb', host.root]).split('\t')[0]) / 1048576;
  for (const f of ['vmlinuz', 'initrd.img', ...(iso ? ['ros.iso'] : []), 'ros']) progress(`${join(DIST, f).slice(ROOT.length + 1)}: ${(statSync(join(DIST, f)).size / 1048576).toFixed(1)} MiB`);
  progress(`initramfs unpacked: ${unpacked.toFixed(1)} MiB`);
}

main().catch((err: Error) => {
  process.stderr.write(`[image] FAILED: ${err.message}\n`);
  process.exit(1);
});

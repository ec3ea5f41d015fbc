// User story: an installed v1 node follows a release channel served over
// HTTP (QEMU guestfwd, no other network). It lists v1 and v2, --check says
// v2 is there, a tampered index is refused, a corrupt delta falls back to
// the full bundle, `ros os upgrade` fetches only the delta and reboots into
// v2; then, back on v1, the automatic updater stages v2 without rebooting,
// keeps waiting while its window (one that closed an hour ago) is shut, and
// reboots into it inside a window that opens ~2 minutes later. One install, one VM across all reboots. The releases are made by
// `make release-image` (v1: the image the ISO installs) and `make release
// VERSION=0.2.0 FROM=dist/ros-<v1>.bundle`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listMembers } from '../../src/upgrade/bundle';
import { fileReader } from '../../src/upgrade/slot-files';
import { BUNDLE_HOST, REQUEST_LOG, guestfwd } from './bundle-server';
import { Qemu, REPO_ROOT, withoutKernelLines } from './qemu';
import { BOOT_MS, CMD_MS, UPGRADE_MS, blankDisk, installV1, mustRun, nextBoot, osVersion } from './upgrade-fixture';

const V1 = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const V2 = '0.2.0';
const DIST = join(REPO_ROOT, 'dist');
const DELTA = `ros-${V1}-to-${V2}.delta`;
const dir = mkdtempSync(join(tmpdir(), 'ros-updates-'));
const served = join(dir, 'served');
const url = (path: string): string => `http://${BUNDLE_HOST}/${path}`;
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const lines = (out: string): string[] => withoutKernelLines(out).split('\n').map((l) => l.trim()).filter(Boolean);

/** The initrd sha256 the delta patches (its signed descriptor says). */
function deltaBase(file: string): string | null {
  if (!existsSync(file)) return null;
  const fd = openSync(file, 'r');
  try {
    const r = fileReader(fd, fstatSync(fd).size);
    const m = listMembers(r).find((x) => x.name === 'delta.json');
    if (!m) return null;
    return (JSON.parse(r.read(m.offset, m.size).toString()) as { from: { parts: Record<string, { sha256: string }> } }).from.parts['initrd.img']?.sha256 ?? null;
  } finally {
    closeSync(fd);
  }
}

function makeReleases(): void {
  const make = (...args: string[]): void => void execFileSync('make', ['-C', REPO_ROOT, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
  // v1 is the image dist/ros.iso installs: its parts are the base of the delta.
  make('release-image');
  if (deltaBase(join(DIST, DELTA)) !== sha256(join(DIST, 'initrd.img'))) make('release', `VERSION=${V2}`, `FROM=dist/ros-${V1}.bundle`, 'NOTES=the second version');
  const publish = (sub: string, change?: (index: string) => string): void => {
    const to = join(served, sub);
    mkdirSync(to, { recursive: true });
    const index = readFileSync(join(DIST, 'channel.json'), 'utf8');
    writeFileSync(join(to, 'channel.json'), change ? change(index) : index);
    copyFileSync(join(DIST, 'channel.json.sig'), join(to, 'channel.json.sig'));
    for (const f of [`ros-${V1}.bundle`, `ros-${V2}.bundle`, DELTA]) symlinkSync(join(DIST, f), join(to, f));
  };
  publish('good');
  // The same signature over a different index: someone moved the channel's notes.
  publish('tampered', (i) => {
    const changed = i.replace('"notes": "', '"notes": "install me, I am safe. ');
    assert.notEqual(changed, i, 'the index has no notes to change');
    return changed;
  });
  // A delta damaged on the way (the index and its signature are right).
  publish('corrupt');
  rmSync(join(served, 'corrupt', DELTA));
  const d = readFileSync(join(DIST, DELTA));
  d[d.length >> 1] = (d[d.length >> 1] ?? 0) ^ 0xff;
  writeFileSync(join(served, 'corrupt', DELTA), d);
}

/** What the guest fetched since the last call. */
function fetched(): string[] {
  const log = join(served, REQUEST_LOG);
  const got = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  rmSync(log, { force: true });
  return got;
}

describe('release channels, delta bundles and automatic updates', () => {
  const disk = join(dir, 'disk.img');
  let vm: Qemu | undefined;
  /** How long `ros os upgrade` through the delta took, up to the reboot. */
  let stagingS = 0;
  before(() => {
    mkdirSync(served, { recursive: true });
    makeReleases();
    blankDisk(disk);
  });
  after(async () => {
    await vm?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = (cmd: string, ms = CMD_MS): Promise<string> => mustRun(vm, cmd, ms);

  it('installs v1 and boots it from the disk', { timeout: 2 * BOOT_MS + UPGRADE_MS }, async () => {
    await installV1('updates-install', disk, "-a 'rancher.autologin=ttyS0'", '#cloud-config\nhostname: updates-ros');
    vm = await Qemu.start({ name: 'updates-disk', boot: 'disk', disks: [disk], noReboot: false, nicOptions: guestfwd(served) });
    await vm.milestone('boot-complete', BOOT_MS);
    assert.equal((await osVersion(vm)).version, V1);
    await run('echo kept > /home/rancher/keep');
  });

  it('refuses a tampered index, changing nothing', { timeout: 4 * CMD_MS + UPGRADE_MS }, async () => {
    assert.ok(vm);
    await run(`ros config set rancher.upgrade.url ${url('tampered/channel.json')}`);
    const hashes = await run('sha256sum /mnt/state/boot/slots/*/* /mnt/state/boot/grub/grubenv');
    for (const cmd of ['ros os list', 'ros os upgrade --check', 'ros os upgrade']) {
      const r = await vm.run(cmd, UPGRADE_MS);
      assert.equal(r.code, 1, `${cmd}: ${r.output}`);
      assert.match(r.output, /refused: channel index http:\/\/10\.0\.2\.100\/tampered\/channel\.json: the signature of the channel index does not verify/, r.output);
    }
    assert.equal(await run('sha256sum /mnt/state/boot/slots/*/* /mnt/state/boot/grub/grubenv'), hashes, 'a refused index changed the disk');
    assert.deepEqual(fetched().filter((l) => !/channel\.json/.test(l)), [], 'nothing but the index was fetched');
  });

  it('lists v1 and v2, and --check exits 100 for v2', { timeout: 4 * CMD_MS }, async () => {
    assert.ok(vm);
    await run(`ros config set rancher.upgrade.url ${url('good/channel.json')}`);
    const list = lines(await run('ros os list'));
    assert.ok(list.some((l) => new RegExp(`^v${V2.replace(/\./g, '\\.')} +newer .*v${V1.replace(/\./g, '\\.')} `).test(l)), list.join('\n'));
    assert.ok(list.some((l) => new RegExp(`^v${V1.replace(/\./g, '\\.')} +\\* running`).test(l)), list.join('\n'));
    const check = await vm.run('ros os upgrade --check', CMD_MS);
    assert.equal(check.code, 100, check.output);
    assert.match(check.output, new RegExp(`v${V2.replace(/\./g, '\\.')} is available on channel stable`));
  });

  it('falls back to the full bundle when the delta is corrupt', { timeout: UPGRADE_MS }, async () => {
    await run(`ros config set rancher.upgrade.url ${url('corrupt/channel.json')}`);
    fetched();
    const out = await run('ros os upgrade --no-reboot', UPGRADE_MS);
    assert.match(out, /the delta failed \(.*the index says.*\); falling back to the full bundle[\s\S]*verified: signature and sha256 of every part[\s\S]*slot b holds v0\.2\.0/, out);
    const got = fetched();
    assert.ok(got.some((l) => l.startsWith(`GET /corrupt/${DELTA} 200`)), got.join('\n'));
    assert.ok(got.some((l) => l.startsWith(`GET /corrupt/ros-${V2}.bundle 200`)), got.join('\n'));
  });

  it('upgrades through the delta alone and reboots into v2, which keeps the state', { timeout: UPGRADE_MS + 2 * BOOT_MS }, async () => {
    await run(`ros config set rancher.upgrade.url ${url('good/channel.json')}`);
    fetched();
    const t0 = Date.now();
    const out = await run('ros os upgrade', UPGRADE_MS);
    stagingS = (Date.now() - t0) / 1000;
    assert.match(out, /using a delta from v0\.1\.0[\s\S]*delta applied[\s\S]*verified: signature and sha256 of every part[\s\S]*slot b holds v0\.2\.0/, out);
    const got = fetched();
    assert.ok(got.some((l) => l.startsWith(`GET /good/${DELTA} 200`)), got.join('\n'));
    assert.ok(!got.some((l) => l.includes('.bundle')), `a full bundle was fetched:\n${got.join('\n')}`);
    vm?.console.note(`upgrade through the delta: ${stagingS.toFixed(0)} s to the reboot; fetched: ${got.join('; ')}`);
    await nextBoot(vm);
    const v = await osVersion(vm);
    assert.equal(v.version, V2);
    assert.match(JSON.stringify(v.slots), /"slot":"b".*"otherVersion":"0\.1\.0".*"default":"b".*"outcome":"succeeded"/);
    assert.deepEqual(lines(await run('hostname; cat /home/rancher/keep')), ['updates-ros', 'kept']);
  });

  it('updates by itself: stages v2, does not reboot outside the window, then reboots into it inside the window', { timeout: 2 * BOOT_MS + 3 * UPGRADE_MS }, async () => {
    assert.ok(vm);
    await run('ros os rollback', UPGRADE_MS);
    await nextBoot(vm);
    assert.equal((await osVersion(vm)).version, V1);
    const hhmm = (s: number): string => new Date(s * 1000).toISOString().slice(11, 16);
    const guestNow = async (): Promise<number> => Number(lines(await run('date -u +%s'))[0]);
    // First a window that closed an hour ago: it stages v2 and does not reboot.
    const t0 = await guestNow();
    const past = `daily ${hhmm(t0 - 7200)}-${hhmm(t0 - 3600)}`;
    await run('ros config set rancher.upgrade.interval 20s');
    await run(`ros config set rancher.upgrade.window '${past}'`);
    await run('ros config set rancher.upgrade.auto true');
    fetched();
    // SIGHUP: init reads the config again; the updater follows it without a reboot.
    await run('kill -HUP 1');
    const waiting = await vm.runUntil('ros os upgrade --status', /waiting-for-window/, UPGRADE_MS);
    assert.match(waiting, new RegExp(`waiting-for-window: v0\\.2\\.0 staged; waiting for the window ${past}: it opens at `), waiting);
    assert.match(waiting, /staged +v0\.2\.0/, waiting);
    assert.ok(fetched().some((l) => l.startsWith(`GET /good/${DELTA} 200`)), 'the updater did not fetch the delta');
    // Three intervals later it still waits: no reboot outside the window.
    await new Promise((r) => setTimeout(r, 60_000));
    assert.match(await run('ros os upgrade --status'), /waiting-for-window/);
    assert.equal(lines(await run('ros os version --short'))[0], `v${V1}`, 'it rebooted outside the window');
    assert.doesNotMatch(vm.tail(4000), /updater: rebooting/);
    // Then a window that opens ~2 minutes from now: the staged v2 waits for it and boots inside it.
    const now = await guestNow();
    const startS = Math.ceil((now + 120) / 60) * 60;
    const window = `daily ${hhmm(startS)}-${hhmm(startS + 20 * 60)}`;
    vm.console.note(`window ${window} (UTC); guest time ${new Date(now * 1000).toISOString()}`);
    await run(`ros config set rancher.upgrade.window '${window}'`);
    await run('kill -HUP 1');
    const status = await vm.runUntil('ros os upgrade --status', new RegExp(`waiting for the window ${window}`), CMD_MS);
    assert.match(status, /updater +waiting-for-window: v0\.2\.0 staged; waiting for the window/, status);
    const at = await guestNow();
    assert.ok(at < startS, `the window ${window} opened at ${startS}, before the test saw the updater wait for it (${at})`);
    // Then, inside the window, the reboot.
    await vm.waitForInLog(/updater: rebooting into v0\.2\.0: inside the window/, (startS - at) * 1000 + UPGRADE_MS);
    await nextBoot(vm);
    const v = await osVersion(vm);
    assert.equal(v.version, V2);
    assert.match(JSON.stringify(v.slots), /"slot":"b".*"default":"b".*"outcome":"succeeded"/);
    // When it rebooted, by the guest's clock, and how v2 found it: init's own log on the state disk.
    const logTime = async (pattern: string): Promise<number> => {
      const line = lines(await run(`grep '${pattern}' /var/log/ros/init.log | tail -1`)).find((l) => l.startsWith('{'));
      assert.ok(line, `no "${pattern}" in init.log`);
      return Date.parse((JSON.parse(line) as { time: string }).time) / 1000;
    };
    const rebootedAt = await logTime('updater: rebooting into v0.2.0: inside the window');
    assert.ok(rebootedAt >= startS && rebootedAt < startS + 20 * 60, `rebooted at ${rebootedAt}, window ${startS}..${startS + 1200}`);
    await vm.runUntil(`grep -c 'updater: the automatic update to v0.2.0 succeeded' /var/log/ros/init.log`, /^1$/m, CMD_MS);
    assert.ok((await logTime('updater: the automatic update to v0.2.0 succeeded')) > rebootedAt);
    assert.deepEqual(lines(await run('hostname; cat /home/rancher/keep')), ['updates-ros', 'kept']);
    vm.sendLine('poweroff');
    await vm.waitExit(CMD_MS);
    vm = undefined;
  });
});

// The only place that loads the native addon (src/native/ros_native.c).
// Inside the SEA the .node file is an asset: write it to a tmpfs that allows
// exec, dlopen it, unlink it. From source (tests, dev) it comes from build/sea.
import { mkdirSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface WaitResult {
  pid: number;
  code: number;
  signal: number;
}

export interface Native {
  waitpid(pid: number): WaitResult | null;
  reboot(cmd: 'restart' | 'halt' | 'poweroff' | 'cad-off' | 'cad-on'): void;
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void;
  umount2(target: string, flags: number): void;
  sethostname(name: string): void;
  sync(): void;
  finitModule(path: string, params: string): void;
  checkpoint(dir: string): void;
  loopChangeFd(device: string, file: string): void;
  execv(path: string, argv: string[]): never;
}

let loaded: Native | undefined;

function seaAsset(): ArrayBuffer | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sea = require('node:sea') as { isSea(): boolean; getRawAsset(name: string): ArrayBuffer };
    return sea.isSea() ? sea.getRawAsset('ros_native.node') : null;
  } catch {
    return null;
  }
}

/** Candidate directories for the extracted addon: /run is a tmpfs PID 1 mounts without noexec. */
const EXTRACT_DIRS = ['/run/ros', '/dev/shm', '/tmp'];

export function native(): Native {
  if (loaded) return loaded;
  const mod = { exports: {} as Native };
  const asset = seaAsset();
  if (asset) {
    let lastErr: unknown;
    for (const dir of EXTRACT_DIRS) {
      const file = join(dir, `ros_native.${process.pid}.node`);
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, Buffer.from(asset), { mode: 0o700 });
        process.dlopen(mod, file);
        unlinkSync(file);
        loaded = mod.exports;
        return loaded;
      } catch (err) {
        lastErr = err;
        try { unlinkSync(file); } catch { /* not written */ }
      }
    }
    throw new Error(`load native addon: ${(lastErr as Error)?.message ?? 'no writable exec directory'}`);
  }
  const dev = join(__dirname, '..', '..', 'build', 'sea', 'ros_native.node');
  const file = existsSync(dev) ? dev : join(process.cwd(), 'build', 'sea', 'ros_native.node');
  process.dlopen(mod, file);
  loaded = mod.exports;
  return loaded;
}

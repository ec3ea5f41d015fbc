// Input devices: finding the ACPI power button and decoding its key events.
import { createReadStream, readFileSync } from 'node:fs';

export interface InputDevice {
  name: string;
  handlers: string[];
}

/** Parses /proc/bus/input/devices (blank-line separated blocks). */
export function parseInputDevices(text: string): InputDevice[] {
  return text
    .split(/\n\s*\n/)
    .map((block) => {
      const name = /^N: Name="(.*)"$/m.exec(block)?.[1] ?? '';
      const handlers = (/^H: Handlers=(.*)$/m.exec(block)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
      return { name, handlers };
    })
    .filter((d) => d.name !== '');
}

export const EV_KEY = 1;
export const KEY_POWER = 116;
/** struct input_event on 64-bit: struct timeval (16 bytes), u16 type, u16 code, s32 value. */
export const INPUT_EVENT_SIZE = 24;

export interface InputEvent {
  type: number;
  code: number;
  value: number;
}

export function decodeInputEvents(buf: Buffer): InputEvent[] {
  const out: InputEvent[] = [];
  for (let off = 0; off + INPUT_EVENT_SIZE <= buf.length; off += INPUT_EVENT_SIZE) {
    out.push({ type: buf.readUInt16LE(off + 16), code: buf.readUInt16LE(off + 18), value: buf.readInt32LE(off + 20) });
  }
  return out;
}

export function isPowerPress(e: InputEvent): boolean {
  return e.type === EV_KEY && e.code === KEY_POWER && e.value === 1;
}

/** Event device paths of every input device called "Power Button". */
export function powerButtonDevices(): string[] {
  let text: string;
  try {
    text = readFileSync('/proc/bus/input/devices', 'utf8');
  } catch {
    return [];
  }
  return parseInputDevices(text)
    .filter((d) => /power button/i.test(d.name))
    .flatMap((d) => d.handlers.filter((h) => /^event\d+$/.test(h)).map((h) => `/dev/input/${h}`));
}

/** Calls `onPress` on every power-button press; reads block in libuv's pool. */
export function watchPowerButtons(onPress: (device: string) => void, onError: (device: string, err: Error) => void): string[] {
  const devices = powerButtonDevices();
  for (const device of devices) {
    let rest = Buffer.alloc(0);
    const stream = createReadStream(device, { highWaterMark: INPUT_EVENT_SIZE * 8 });
    stream.on('data', (chunk) => {
      const buf = Buffer.concat([rest, chunk as Buffer]);
      const whole = buf.length - (buf.length % INPUT_EVENT_SIZE);
      rest = buf.subarray(whole);
      if (decodeInputEvents(buf.subarray(0, whole)).some(isPowerPress)) onPress(device);
    });
    stream.on('error', (err) => onError(device, err));
  }
  return devices;
}

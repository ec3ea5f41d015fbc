import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EV_KEY, INPUT_EVENT_SIZE, KEY_POWER, decodeInputEvents, isPowerPress, parseInputDevices } from '../../../src/sys/input';

// As a QEMU q35 guest shows it (note the trailing blanks the kernel leaves on H: lines).
const DEVICES = `I: Bus=0019 Vendor=0000 Product=0001 Version=0000
N: Name="Power Button"
P: Phys=LNXPWRBN/button/input0
S: Sysfs=/devices/LNXSYSTM:00/LNXPWRBN:00/input/input0
U: Uniq=
H: Handlers=kbd event0 
B: PROP=0
B: EV=3
B: KEY=10000000000000 0

I: Bus=0011 Vendor=0001 Product=0001 Version=ab41
N: Name="AT Translated Set 2 keyboard"
P: Phys=isa0060/serio0/input0
S: Sysfs=/devices/platform/i8042/serio0/input/input1
U: Uniq=
H: Handlers=sysrq kbd event1 leds 
B: PROP=0
B: EV=120013
B: KEY=402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe
B: MSC=10
B: LED=7

`;

function event(type: number, code: number, value: number): Buffer {
  const b = Buffer.alloc(INPUT_EVENT_SIZE);
  b.writeBigInt64LE(1700000000n, 0); // tv_sec
  b.writeBigInt64LE(123456n, 8); // tv_usec
  b.writeUInt16LE(type, 16);
  b.writeUInt16LE(code, 18);
  b.writeInt32LE(value, 20);
  return b;
}

describe('parseInputDevices', () => {
  it('gives each device with its name and handlers', () => {
    assert.deepEqual(parseInputDevices(DEVICES), [
      { name: 'Power Button', handlers: ['kbd', 'event0'] },
      { name: 'AT Translated Set 2 keyboard', handlers: ['sysrq', 'kbd', 'event1', 'leds'] },
    ]);
  });

  it('gives no devices for empty text', () => {
    assert.deepEqual(parseInputDevices(''), []);
  });

  it('gives no handlers when the H: line is missing', () => {
    assert.deepEqual(parseInputDevices('N: Name="Sleep Button"\nP: Phys=x\n'), [{ name: 'Sleep Button', handlers: [] }]);
  });
});

describe('decodeInputEvents', () => {
  it('decodes consecutive 24-byte events', () => {
    const buf = Buffer.concat([event(EV_KEY, KEY_POWER, 1), event(0, 0, 0)]);
    assert.deepEqual(decodeInputEvents(buf), [
      { type: EV_KEY, code: KEY_POWER, value: 1 },
      { type: 0, code: 0, value: 0 },
    ]);
  });

  it('reads a negative value as signed', () => {
    assert.deepEqual(decodeInputEvents(event(2, 8, -1)), [{ type: 2, code: 8, value: -1 }]);
  });

  it('ignores a trailing partial event', () => {
    const buf = Buffer.concat([event(EV_KEY, KEY_POWER, 1), Buffer.alloc(10)]);
    assert.equal(decodeInputEvents(buf).length, 1);
    assert.deepEqual(decodeInputEvents(Buffer.alloc(INPUT_EVENT_SIZE - 1)), []);
  });
});

describe('isPowerPress', () => {
  it('is true for EV_KEY 1, KEY_POWER 116, value 1', () => {
    assert.equal(EV_KEY, 1);
    assert.equal(KEY_POWER, 116);
    assert.equal(isPowerPress({ type: 1, code: 116, value: 1 }), true);
  });

  it('is false for release, autorepeat, other keys and other event types', () => {
    assert.equal(isPowerPress({ type: 1, code: 116, value: 0 }), false);
    assert.equal(isPowerPress({ type: 1, code: 116, value: 2 }), false);
    assert.equal(isPowerPress({ type: 1, code: 115, value: 1 }), false);
    assert.equal(isPowerPress({ type: 0, code: 116, value: 1 }), false);
    assert.equal(isPowerPress({ type: 4, code: 116, value: 1 }), false);
  });
});

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, isPie, unpie } from '../../../../initramfs/lib/unpie';

// A program whose output depends on every kind of relocation a PIE has: data
// pointers (RELATIVE), function pointers in a table and in .init_array,
// libc calls (JUMP_SLOT, lazily bound or not) and a thread-local variable.
const SOURCE = `
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int one(void) { return 1; }
static int two(void) { return 2; }
static int (*table[])(void) = { one, two };
static const char *names[] = { "alpha", "beta" };
static const char **later;
__thread int local = 7;
static int ready;
__attribute__((constructor)) static void init(void) { ready = 40; }
int main(int argc, char **argv) {
  (void)argv;
  later = names;
  char *p = malloc(16);
  strcpy(p, later[argc % 2]);
  printf("%s %d %d %d %d %s\\n", p, table[0](), table[1](), local, ready, (void *)main == (void *)table ? "?" : "ok");
  return 0;
}
`;

describe('unpie: a PIE rebased to a fixed address with its relocations applied', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'unpie-'));
    writeFileSync(join(dir, 'p.c'), SOURCE);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const build = (name: string, flags: string[]): string => {
    const out = join(dir, name);
    execFileSync('gcc', ['-O1', '-fPIE', '-pie', ...flags, '-o', out, join(dir, 'p.c')]);
    return out;
  };
  const rewrite = (file: string): { out: string; applied: number } => {
    const r = unpie(readFileSync(file));
    const out = `${file}.exec`;
    writeFileSync(out, r.image);
    chmodSync(out, 0o755);
    return { out, applied: r.applied };
  };

  for (const [what, flags] of [['bound at start (-z now)', ['-Wl,-z,now']], ['bound lazily', ['-Wl,-z,lazy']]] as const) {
    it(`runs as before, ${what}`, () => {
      const pie = build(what.replace(/\W/g, ''), [...flags]);
      const { out, applied } = rewrite(pie);
      assert.ok(applied >= 4, `${applied} RELATIVE relocations applied`);
      for (const args of [[], ['x']]) assert.equal(execFileSync(out, args, { encoding: 'utf8' }), execFileSync(pie, args, { encoding: 'utf8' }));
      const header = execFileSync('readelf', ['-h', out], { encoding: 'utf8' });
      assert.match(header, /Type:\s+EXEC/);
      const entry = BigInt(/Entry point address:\s+(0x[0-9a-f]+)/.exec(header)?.[1] ?? '0');
      assert.ok(entry > BASE, `entry 0x${entry.toString(16)} above the base`);
      // Only symbol relocations are left; none the loader would apply to data pages.
      assert.doesNotMatch(execFileSync('readelf', ['-rW', out], { encoding: 'utf8' }), /R_X86_64_RELATIVE/);
    });
  }

  it('knows a PIE from a fixed-address executable and refuses the latter', () => {
    const pie = build('plain', []);
    assert.equal(isPie(readFileSync(pie)), true);
    const { out } = rewrite(pie);
    assert.equal(isPie(readFileSync(out)), false);
    assert.throws(() => unpie(readFileSync(out)), /not a dynamically linked x86-64 PIE/);
    assert.throws(() => unpie(Buffer.from('#!/bin/sh\n')), /not a dynamically linked/);
  });
});

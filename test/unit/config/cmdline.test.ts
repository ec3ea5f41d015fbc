import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeLayers } from '../../../src/config/merge';
import { parseCmdline, parseValue, parseWord, splitCmdline, splitInitArgs, wordLayer } from '../../../src/config/cmdline';

/** The words' layers merged, unvalidated: what the words say, whether or not it is valid. */
const cmdlineConfig = (words: string[]) => mergeLayers<Record<string, unknown>>(words.map(wordLayer).filter((l) => l !== null));

describe('splitCmdline', () => {
  it('splits on runs of whitespace, ignoring leading and trailing blanks', () => {
    assert.deepEqual(splitCmdline('  console=ttyS0   quiet\trancher.debug\n'), ['console=ttyS0', 'quiet', 'rancher.debug']);
  });

  it('keeps spaces inside double quotes and drops the quotes', () => {
    assert.deepEqual(splitCmdline('a="b c" "d e"f'), ['a=b c', 'd ef']);
  });

  it('keeps an empty quoted value as a word', () => {
    assert.deepEqual(splitCmdline('x="" y'), ['x=', 'y']);
  });

  it('gives no words for an empty line', () => {
    assert.deepEqual(splitCmdline('   \n'), []);
  });
});

describe('parseWord', () => {
  it('splits at the first =', () => {
    assert.deepEqual(parseWord('rancher.a=b=c'), { key: 'rancher.a', value: 'b=c' });
  });

  it('gives an undefined value for a bare key and "" for key=', () => {
    assert.deepEqual(parseWord('quiet'), { key: 'quiet', value: undefined });
    assert.deepEqual(parseWord('k='), { key: 'k', value: '' });
  });
});

describe('parseValue', () => {
  it('reads YAML scalars', () => {
    assert.equal(parseValue('42'), 42);
    assert.equal(parseValue('1.5'), 1.5);
    assert.equal(parseValue('true'), true);
    assert.equal(parseValue('false'), false);
    assert.equal(parseValue('ttyS0'), 'ttyS0');
  });

  it('reads flow lists', () => {
    assert.deepEqual(parseValue('[/dev/vda]'), ['/dev/vda']);
    assert.deepEqual(parseValue('[a, b]'), ['a', 'b']);
  });

  it('makes a bare key true and an empty value ""', () => {
    assert.equal(parseValue(undefined), true);
    assert.equal(parseValue(''), '');
  });

  it('returns invalid YAML as the raw string', () => {
    assert.equal(parseValue('[a'), '[a');
  });
});

describe('wordLayer', () => {
  it('nests rancher.a.b=v under rancher.a', () => {
    assert.deepEqual(cmdlineConfig(['rancher.state.dev=LABEL=RANCHER_STATE', 'rancher.state.wait']), {
      rancher: { state: { dev: 'LABEL=RANCHER_STATE', wait: true } },
    });
  });

  it('parses values as YAML', () => {
    assert.deepEqual(cmdlineConfig(['rancher.state.autoformat=[/dev/vda]', 'rancher.shutdown_timeout=30']), {
      rancher: { state: { autoformat: ['/dev/vda'] }, shutdown_timeout: 30 },
    });
  });

  it('puts cc.* keys at the top level', () => {
    assert.deepEqual(cmdlineConfig(['cc.hostname=box']), { hostname: 'box' });
  });

  it('ignores other words, a bare "rancher" and a bare "cc"', () => {
    assert.deepEqual(cmdlineConfig(['console=ttyS0', 'quiet', 'rancher', 'cc=1', 'rancherx.a=1', 'BOOT_IMAGE=/vmlinuz']), {});
  });

  it('lets a later word win', () => {
    assert.deepEqual(cmdlineConfig(['rancher.autologin=tty1', 'rancher.autologin=ttyS0']), { rancher: { autologin: 'ttyS0' } });
    assert.deepEqual(cmdlineConfig(['rancher.a.b=1', 'rancher.a=2']), { rancher: { a: 2 } });
    assert.deepEqual(cmdlineConfig(['rancher.a=2', 'rancher.a.b=1']), { rancher: { a: { b: 1 } } });
  });

  // Documents a src bug (fails today): key parts are used as raw property
  // names, so `__proto__` walks into Object.prototype and sets a key there
  // for every object in PID 1 (e.g. `cc.__proto__.recovery=true`).
  it('does not write through __proto__ into Object.prototype', () => {
    try {
      cmdlineConfig(['cc.__proto__.polluted=1', 'rancher.__proto__.polluted2=1']);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted2'), false);
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
      delete (Object.prototype as Record<string, unknown>).polluted2;
    }
  });
});

describe('splitInitArgs', () => {
  it('splits at the first --', () => {
    assert.deepEqual(splitInitArgs(['quiet', '--', 'rancher.debug', '--', 'x']), { kernel: ['quiet'], init: ['rancher.debug', '--', 'x'] });
  });

  it('gives everything to the kernel without --', () => {
    assert.deepEqual(splitInitArgs(['quiet', 'a=b']), { kernel: ['quiet', 'a=b'], init: [] });
  });
});

describe('parseCmdline: one parse, per-word layers', () => {
  it('gives one validated layer per config word, in order, and the words on both sides of --', () => {
    const c = parseCmdline('BOOT_IMAGE=/vmlinuz console=ttyS0 rancher.autologin=ttyS0 rancher.state.autoformat=[/dev/vda] -- cc.hostname=box\n');
    assert.deepEqual(c.kernel, ['BOOT_IMAGE=/vmlinuz', 'console=ttyS0', 'rancher.autologin=ttyS0', 'rancher.state.autoformat=[/dev/vda]']);
    assert.deepEqual(c.init, ['cc.hostname=box']);
    assert.deepEqual(c.layers.map((l) => l.word), ['rancher.autologin=ttyS0', 'rancher.state.autoformat=[/dev/vda]', 'cc.hostname=box']);
    assert.deepEqual(c.config, { hostname: 'box', rancher: { autologin: 'ttyS0', state: { autoformat: ['/dev/vda'] } } });
    assert.deepEqual(c.dropped, []);
  });

  it('takes the init words from argv when /proc/cmdline has no --', () => {
    assert.deepEqual(parseCmdline('quiet', ['cc.hostname=a']).config, { hostname: 'a' });
  });

  it('drops a string rancher.state.autoformat alone, with its reason and the word, so no disk is formatted', () => {
    const c = parseCmdline('rancher.state.autoformat=/dev/vda rancher.state.required=true');
    assert.deepEqual(c.config, { rancher: { state: { required: true } } });
    assert.equal(c.dropped.length, 1);
    const [d] = c.dropped;
    assert.deepEqual([d?.code, d?.path, d?.file], ['type', 'rancher.state.autoformat', 'kernel cmdline']);
    assert.match(d?.message ?? '', /expected a list, got a string/);
    assert.match(d?.message ?? '', /rancher\.state\.autoformat=\[\/dev\/vda\]/, 'says how to write the list');
    assert.match(d?.message ?? '', /the word "rancher\.state\.autoformat=\/dev\/vda" is ignored/);
  });

  it('drops unknown keys and bad values one word at a time', () => {
    const c = parseCmdline('rancher.netwrok.dns=x rancher.ssh.port=0 rancher.ssh.port=2222 rancher.password=two');
    assert.deepEqual(c.dropped.map((d) => [d.code, d.path]), [['unknown-key', 'rancher.netwrok'], ['range', 'rancher.ssh.port']]);
    assert.deepEqual(c.config, { rancher: { ssh: { port: 2222 }, password: 'two' } });
  });

  it('reads values as YAML 1.1 and, where a string is wanted, as written', () => {
    const c = parseCmdline('cc.hostname=1234 rancher.password=yes rancher.ssh.daemon=off rancher.ssh.port=0x10');
    assert.deepEqual(c.dropped, []);
    assert.deepEqual(c.config, { hostname: '1234', rancher: { password: 'yes', ssh: { daemon: false, port: 16 } } });
  });

  it('lets cmdline-only keys through (they are the cmdline\'s) and warns about ignored RancherOS keys', () => {
    const c = parseCmdline('rancher.state.dev=LABEL=x rancher.debug=true');
    assert.deepEqual(c.config, { rancher: { state: { dev: 'LABEL=x' } } });
    assert.deepEqual(c.warnings.map((w) => [w.code, w.path]), [['ignored-key', 'rancher.debug']]);
    assert.deepEqual(c.dropped, []);
  });

  it('survives a round trip through JSON, as init publishes it', () => {
    const c = parseCmdline('rancher.autologin=[ttyS0,tty1] -- cc.hostname=h');
    assert.deepEqual(JSON.parse(JSON.stringify(c)), c);
  });
});

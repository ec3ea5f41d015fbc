import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stateConfig, waitSeconds } from '../../../../src/init/stages/storage';
import { parseCmdline } from '../../../../src/config/cmdline';
import { STATE_LABEL } from '../../../../src/config/paths';

/** rancher.state as the storage stage sees it, from a kernel command line. */
const state = (cmdline: string) => stateConfig(parseCmdline(cmdline));

describe('stateConfig', () => {
  it('has defaults when the cmdline says nothing', () => {
    assert.equal(STATE_LABEL, 'RANCHER_STATE');
    assert.deepEqual(state(''), { dev: 'LABEL=RANCHER_STATE', wait: 'auto', autoformat: [], required: false });
    assert.deepEqual(state('console=ttyS0 quiet rancher.debug'), { dev: 'LABEL=RANCHER_STATE', wait: 'auto', autoformat: [], required: false });
  });

  it('reads autoformat as a YAML list', () => {
    assert.deepEqual(state('rancher.state.autoformat=[/dev/vda,/dev/vdb]').autoformat, ['/dev/vda', '/dev/vdb']);
  });

  // The word is invalid (a string where a list belongs): the cmdline parse drops it, so nothing is formatted.
  it('formats nothing for autoformat given as a string, which the cmdline parse drops', () => {
    const cmdline = parseCmdline('rancher.state.autoformat=/dev/vda');
    assert.deepEqual(stateConfig(cmdline).autoformat, []);
    assert.deepEqual(cmdline.dropped.map((d) => [d.code, d.path]), [['type', 'rancher.state.autoformat']]);
    assert.deepEqual(state('rancher.state.autoformat=/dev/vda,/dev/vdb').autoformat, []);
  });

  it('reads required', () => {
    assert.equal(state('rancher.state.required=true').required, true);
    assert.equal(state('rancher.state.required').required, true);
    assert.equal(state('rancher.state.required=false').required, false);
  });

  it('reads dev with its own = sign', () => {
    assert.equal(state('rancher.state.dev=LABEL=foo').dev, 'LABEL=foo');
    assert.equal(state('rancher.state.dev=/dev/sda1').dev, '/dev/sda1');
  });

  it('reads wait as a number and drops a non-number', () => {
    assert.equal(state('rancher.state.wait=10').wait, 10);
    assert.equal(state('rancher.state.wait=soon').wait, 'auto');
  });

  it("reads RancherOS' bare rancher.state.wait as a long wait, and false as the default", () => {
    assert.equal(state('rancher.state.wait').wait, 60);
    assert.equal(state('rancher.state.wait=true').wait, 60);
    assert.equal(state('rancher.state.wait=false').wait, 'auto');
  });

  it('lets a later word win', () => {
    assert.equal(state('rancher.state.wait=10 rancher.state.wait=5').wait, 5);
  });

  it('combines several words, before and after --', () => {
    assert.deepEqual(state('rancher.state.dev=LABEL=foo rancher.state.wait=10 -- rancher.state.required=true rancher.state.autoformat=[/dev/vda]'), {
      dev: 'LABEL=foo',
      wait: 10,
      autoformat: ['/dev/vda'],
      required: true,
    });
  });
});

describe('waitSeconds', () => {
  it('waits 2 s by default only on a machine with a controller whose disks come late', () => {
    assert.equal(waitSeconds('auto', []), 0);
    assert.equal(waitSeconds('auto', ['NVMe']), 2);
    assert.equal(waitSeconds('auto', ['USB', 'Hyper-V']), 2);
  });

  it('waits what rancher.state.wait says, with or without such a controller', () => {
    assert.equal(waitSeconds(10, []), 10);
    assert.equal(waitSeconds(0, ['NVMe']), 0);
    assert.equal(waitSeconds(state('rancher.state.wait').wait, []), 60);
  });
});

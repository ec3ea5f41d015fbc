import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stateConfig } from '../../../../src/init/stages/storage';
import { STATE_LABEL } from '../../../../src/config/paths';

describe('stateConfig', () => {
  it('has defaults when the cmdline says nothing', () => {
    assert.equal(STATE_LABEL, 'RANCHER_STATE');
    assert.deepEqual(stateConfig([]), { dev: 'LABEL=RANCHER_STATE', wait: 2, autoformat: [], required: false });
    assert.deepEqual(stateConfig(['console=ttyS0', 'quiet', 'rancher.debug']), { dev: 'LABEL=RANCHER_STATE', wait: 2, autoformat: [], required: false });
  });

  it('reads autoformat as a YAML list', () => {
    assert.deepEqual(stateConfig(['rancher.state.autoformat=[/dev/vda,/dev/vdb]']).autoformat, ['/dev/vda', '/dev/vdb']);
  });

  it('reads a single autoformat device or a comma list', () => {
    assert.deepEqual(stateConfig(['rancher.state.autoformat=/dev/vda']).autoformat, ['/dev/vda']);
    assert.deepEqual(stateConfig(['rancher.state.autoformat=/dev/vda,/dev/vdb']).autoformat, ['/dev/vda', '/dev/vdb']);
  });

  it('reads required', () => {
    assert.equal(stateConfig(['rancher.state.required=true']).required, true);
    assert.equal(stateConfig(['rancher.state.required']).required, true);
    assert.equal(stateConfig(['rancher.state.required=false']).required, false);
  });

  it('reads dev with its own = sign', () => {
    assert.equal(stateConfig(['rancher.state.dev=LABEL=foo']).dev, 'LABEL=foo');
    assert.equal(stateConfig(['rancher.state.dev=/dev/sda1']).dev, '/dev/sda1');
  });

  it('reads wait as a number and ignores a non-number', () => {
    assert.equal(stateConfig(['rancher.state.wait=10']).wait, 10);
    assert.equal(stateConfig(['rancher.state.wait=soon']).wait, 2);
  });

  it('lets a later word win', () => {
    assert.equal(stateConfig(['rancher.state.wait=10', 'rancher.state.wait=5']).wait, 5);
  });

  it('combines several words', () => {
    assert.deepEqual(stateConfig(['rancher.state.dev=LABEL=foo', 'rancher.state.wait=10', 'rancher.state.required=true', 'rancher.state.autoformat=[/dev/vda]']), {
      dev: 'LABEL=foo',
      wait: 10,
      autoformat: ['/dev/vda'],
      required: true,
    });
  });
});

// The layered cloud-config. A bad layer is reported and skipped; the boot
// goes on with the rest (RancherOS #2555: a bad config must not brick a boot).
import { cmdlineConfig } from '../../sys/cmdline';
import { loadConfig } from '../../config/load';
import { formatDiagnostic } from '../../config/diagnostic';
import type { Task } from '../stage';
import { atomicWrite } from '../../sys/atomic-write';

/** The cmdline layers, published for `ros config` (it cannot see the words after `--`). */
export const CMDLINE_LAYERS = '/run/ros/cmdline-config.json';

export const loadLayeredConfig: Task = {
  name: 'load-config',
  run(ctx) {
    // One layer per word: a bad word is dropped alone, the rest of the cmdline still applies.
    const perWord = (words: string[]) => words.map((w) => cmdlineConfig([w])).filter((l) => Object.keys(l).length > 0);
    const cmdlineLayers = [...perWord(ctx.cmdline.kernel), ...perWord(ctx.cmdline.init)];
    atomicWrite(CMDLINE_LAYERS, JSON.stringify(cmdlineLayers), 0o600);
    const loaded = loadConfig({ cmdlineLayers });
    ctx.config = loaded.config;
    ctx.log.debug({ sources: loaded.sources }, `config from ${loaded.sources.length} files`);
    for (const d of loaded.warnings) ctx.log.warn(`config: ${formatDiagnostic(d)}`);
    for (const d of loaded.diagnostics) ctx.log.error(`config: ${formatDiagnostic(d)} (${d.file === 'kernel cmdline' ? 'word ignored' : 'file skipped'})`);
  },
};

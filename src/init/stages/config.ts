// The layered cloud-config. A bad layer is reported and skipped; the boot
// goes on with the rest (RancherOS #2555: a bad config must not brick a boot).
import { cmdlineConfig } from '../../sys/cmdline';
import { loadConfig } from '../../config/load';
import { formatDiagnostic } from '../../config/diagnostic';
import type { Task } from '../stage';

export const loadLayeredConfig: Task = {
  name: 'load-config',
  run(ctx) {
    const loaded = loadConfig({ cmdlineLayers: [cmdlineConfig(ctx.cmdline.kernel), cmdlineConfig(ctx.cmdline.init)] });
    ctx.config = loaded.config;
    ctx.configDiagnostics = loaded.diagnostics;
    ctx.log.debug({ sources: loaded.sources }, `config from ${loaded.sources.length} files`);
    for (const d of loaded.diagnostics) ctx.log.error(`config: ${formatDiagnostic(d)} (layer skipped)`);
  },
};

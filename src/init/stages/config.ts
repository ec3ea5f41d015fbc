// The layered cloud-config. A bad layer is reported and skipped; the boot
// goes on with the rest (RancherOS #2555: a bad config must not brick a boot).
import { CMDLINE_SOURCE } from '../../config/cmdline';
import { loadConfig } from '../../config/load';
import { formatDiagnostic } from '../../config/diagnostic';
import type { Task } from '../stage';

export const loadLayeredConfig: Task = {
  name: 'load-config',
  run(ctx) {
    const loaded = loadConfig({ cmdline: ctx.cmdline });
    ctx.config = loaded.config;
    ctx.log.debug({ sources: loaded.sources }, `config from ${loaded.sources.length} files`);
    // Cmdline words were reported by the cmdline stage when it dropped them.
    const files = (d: { file: string }) => d.file !== CMDLINE_SOURCE;
    for (const d of loaded.warnings.filter(files)) ctx.log.warn(`config: ${formatDiagnostic(d)}`);
    for (const d of loaded.diagnostics.filter(files)) ctx.log.error(`config: ${formatDiagnostic(d)} (file skipped)`);
  },
};

// One binary, three roles (like busybox): PID 1 / `init` runs the init,
// `ros console-init` is the console container's main process, anything else
// is the CLI. docs/architecture.md, "Parts".
import { basename } from 'node:path';

/** The console service's command (system-services/console.yml). */
const CONSOLE_ROLE = 'console-init';

// Each role imports its own code when chosen: the bundle runs a module's top
// level only when something imports it, so the long-running console does not
// hold the init's and the CLI's libraries in memory, nor pay to load them.
// In a SEA argv[1] repeats the executable; from source it is the script.
const args = process.argv.slice(2);
if (process.pid === 1 || basename(process.argv0) === 'init') {
  void import('./init/main').then((m) => m.runInit());
} else if (args[0] === CONSOLE_ROLE) {
  void import('./console/main').then((m) => m.runConsole(args.slice(1)));
} else {
  void import('./cli/index').then((m) => m.runCli(args));
}

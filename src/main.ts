// One binary, three roles (like busybox): PID 1 / `init` runs the init,
// `ros console-init` is the console container's main process, anything else
// is the CLI. docs/architecture.md, "Parts".
import { basename } from 'node:path';
import { runInit } from './init/main';
import { runConsole } from './console/main';
import { runCli } from './cli/index';

/** The console service's command (system-services/console.yml). */
const CONSOLE_ROLE = 'console-init';

// In a SEA argv[1] repeats the executable; from source it is the script.
const args = process.argv.slice(2);
if (process.pid === 1 || basename(process.argv0) === 'init') {
  void runInit();
} else if (args[0] === CONSOLE_ROLE) {
  runConsole();
} else {
  void runCli(args);
}

// One binary, two roles (like busybox): PID 1 / `init` runs the init, any
// other name is the CLI.
import { basename } from 'node:path';
import { runInit } from './init/main';
import { runCli } from './cli/index';

function isInit(): boolean {
  return process.pid === 1 || basename(process.argv0) === 'init';
}

if (isInit()) {
  void runInit();
} else {
  // In a SEA argv[1] repeats the executable; from source it is the script.
  void runCli(process.argv.slice(2));
}

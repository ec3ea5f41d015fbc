// execv(2) for Node, which has none: this process becomes another program,
// keeping its PID, its children and fds 0-2 (the console's main process turns
// into a shell script once its setup is done; docs/architecture.md, "The console").
import { native } from './native';

/** Replaces this process with `argv[0]` (an absolute path); throws, with Node intact, if that fails. */
export function replaceProcess(argv: string[]): never {
  const [path] = argv;
  if (!path) throw new Error('replaceProcess: an empty argv');
  return native().execv(path, argv);
}

// The `ros` command line. Handlers stay thin; errors map to exit codes here.
import yargs from 'yargs';
import { version } from '../version';
import { exitCodeOf } from './errors';
import { osCommand } from './os';
import { serviceCommand } from './service';
import { configCommand } from './config';
import { installCommand } from './install';
import { tlsCommand } from './tls';
import { networkCommand } from './network';
import { swarmCommand } from './swarm';

function describeError(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { address?: string };
  if ((e.code === 'ENOENT' || e.code === 'ECONNREFUSED') && e.address) {
    return `cannot reach the Docker daemon at ${e.address} (${e.code}): is this a ros host, and is the daemon running?`;
  }
  return e.message ?? String(err);
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await yargs(argv)
      .scriptName('ros')
      .usage('$0 <command> [options]\n\nManage a ros node: its services, its config and the OS itself.')
      .version(`v${version}`)
      .option('root', {
        type: 'string',
        global: true,
        describe: 'Read and write the node files under DIR (a mounted state disk, a test tree) instead of this machine\'s',
      })
      .command(osCommand)
      .command(serviceCommand)
      .command(configCommand)
      .command(installCommand)
      .command(tlsCommand)
      .command(networkCommand)
      .command(swarmCommand)
      .demandCommand(1, 'name a command (see ros --help)')
      .strict()
      .recommendCommands()
      .help()
      .alias('h', 'help')
      .alias('v', 'version') // RancherOS' ros -v
      .fail((msg, err) => {
        if (err) throw err;
        process.stderr.write(`ros: ${msg}\nRun with --help for usage.\n`);
        process.exit(2);
      })
      .parseAsync();
  } catch (err) {
    if (!(err as { quiet?: boolean }).quiet) process.stderr.write(`ros: ${describeError(err)}\n`);
    process.exitCode = exitCodeOf(err);
  }
}

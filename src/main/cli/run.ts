import { findPackage } from '../app/package-root';
import { CliUsageError, ExitCode, type CliCommand, type CliIo } from './command';
import { commands as defaultCommands } from './commands/index';
import { reportError } from './errors';
import { maxOf } from '@shared/arrays';

export function mainUsage(commands: readonly CliCommand[]): string {
  const width = maxOf(commands.map((c) => c.name.length));
  return `Usage: preflight <command> [options]

Inspect, validate and run MLflow models offline before deploying them to Azure Machine Learning.

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  -h, --help     show this help (or \`preflight <command> --help\`)
  -v, --version  print the version

Exit codes: 0 ok · 1 the model/payload is invalid · 2 usage error · 3 environment error (missing or
unreadable file, invalid MLmodel, no Python, network)
`;
}

/**
 * The whole CLI as a function: argv in, exit code out, output through `io`. `index.ts` binds it to the
 * process; tests call it in-process.
 */
export async function runCli(argv: string[], io: CliIo, commands: readonly CliCommand[] = defaultCommands): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    const topic = first === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    if (first === undefined) {
      io.stderr(mainUsage(commands));
      return ExitCode.USAGE;
    }
    io.stdout(topic ? `${topic.usage}\n` : mainUsage(commands));
    return ExitCode.OK;
  }
  if (first === '-v' || first === '--version') {
    io.stdout(`${findPackage().version}\n`);
    return ExitCode.OK;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    const what = first.startsWith('-') ? `unknown option "${first}"` : `unknown command "${first}"`;
    io.stderr(`preflight: ${what}\n\n${mainUsage(commands)}`);
    return ExitCode.USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.usage}\n`);
    return ExitCode.OK;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof CliUsageError) {
      io.stderr(`preflight ${command.name}: ${err.message}\n\n${command.usage}\n`);
      return ExitCode.USAGE;
    }
    return reportError(err, io);
  }
}

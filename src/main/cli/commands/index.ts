import type { CliCommand } from '../command';
import { inspectCommand } from './inspect';
import { openCommand } from './open';

/** Every `preflight <command>`, in the order `--help` lists them. New commands: one module each, added here. */
export const commands: readonly CliCommand[] = [inspectCommand, openCommand];

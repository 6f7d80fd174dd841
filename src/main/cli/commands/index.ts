import type { CliCommand } from '../command';
import { azureCommand } from './azure';
import { batchCommand } from './batch';
import { compareCommand } from './compare';
import { convertCommand } from './convert';
import { inspectCommand } from './inspect';
import { openCommand } from './open';
import { packageCommand } from './package';
import { predictCommand } from './predict';
import { serveCommand } from './serve';
import { validateCommand } from './validate';
import { verifyCommand } from './verify';

/** Every `preflight <command>`, in the order `--help` lists them. New commands: one module each, added here. */
export const commands: readonly CliCommand[] = [inspectCommand, validateCommand, convertCommand, predictCommand, serveCommand, batchCommand, compareCommand, packageCommand, verifyCommand, openCommand, azureCommand];

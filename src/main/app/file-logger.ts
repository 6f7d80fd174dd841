import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { inspect } from 'node:util';
import type { Logger } from '../ports/logger';

/**
 * The app log: one line per entry (details indented below), appended synchronously so the last lines before
 * a crash are on disk. Also echoes to another logger (stderr in dev). Logging never throws.
 */
export function createFileLogger(file: string, echo?: Logger): Logger {
  let writable = true;
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch {
    writable = false;
  }
  const write = (level: 'info' | 'warn' | 'error', message: string, details: unknown[]) => {
    echo?.[level](message, ...details);
    if (!writable) return;
    const extra = details.map((d) => `\n  ${(typeof d === 'string' ? d : inspect(d, { depth: 4 })).replace(/\n/g, '\n  ')}`).join('');
    try {
      appendFileSync(file, `${new Date().toISOString()} [${level}] ${message}${extra}\n`);
    } catch {
      writable = false;
    }
  };
  return {
    info: (m, ...d) => write('info', m, d),
    warn: (m, ...d) => write('warn', m, d),
    error: (m, ...d) => write('error', m, d),
  };
}

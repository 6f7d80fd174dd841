import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installCrashHandlers } from './crash-handlers';

function setup(onRejection: 'exit' | 'continue') {
  const target = new EventEmitter();
  const lines: string[] = [];
  const exits: number[] = [];
  installCrashHandlers(target, { name: 'preflight', write: (l) => lines.push(l), onRejection, shutdown: (c) => exits.push(c), exitCode: 3 });
  return { target, lines, exits };
}

describe('crash handlers', () => {
  it('CLI: an uncaught exception prints one clear line and exits with the documented code 3, once', () => {
    const { target, lines, exits } = setup('exit');
    target.emit('uncaughtException', new TypeError("Cannot read properties of undefined (reading 'x')"));
    target.emit('uncaughtException', new Error('second'));
    expect(lines[0]).toBe("preflight: internal error (uncaught exception): TypeError: Cannot read properties of undefined (reading 'x'). This is a bug in Preflight, not in your model or files; please report it with the command you ran (PREFLIGHT_DEBUG=1 prints the stack).");
    expect(exits).toEqual([3]);
  });

  it('CLI: an unhandled rejection exits too', () => {
    const { target, lines, exits } = setup('exit');
    target.emit('unhandledRejection', 'plain reason');
    expect(lines[0]).toContain('internal error (unhandled promise rejection): plain reason.');
    expect(exits).toEqual([3]);
  });

  it('host: an unhandled rejection is reported and the host keeps serving', () => {
    const { target, lines, exits } = setup('continue');
    target.emit('unhandledRejection', new Error('stray'));
    expect(lines[0]).toContain('an operation failed in the background and was ignored: stray. The host keeps serving');
    expect(exits).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { terminalSafe } from './terminal-safe';

describe('terminalSafe: what a model folder plants cannot drive the terminal', () => {
  it('shows escape sequences, bells and bare carriage returns as visible escapes', () => {
    const runId = '\u001b]52;c;cHduZWQ=\u0007\u001b[2J\u001b[HReady: nothing to see';
    expect(terminalSafe(`  run_id  ${runId}\n`)).toBe('  run_id  \\x1b]52;c;cHduZWQ=\\x07\\x1b[2J\\x1b[HReady: nothing to see\n');
    expect(terminalSafe('[ERROR] broken\rReady      \n')).toBe('[ERROR] broken\\x0dReady      \n');
    expect(terminalSafe('name\u202egnp.exe\u0085\u009b31m')).toBe('name\\u202egnp.exe\\x85\\x9b31m');
  });

  it('keeps newlines, tabs, CRLF, Unicode text, and (progress only) the \\r and ESC[K of a progress line', () => {
    expect(terminalSafe('a\tb\r\nc — é 模型 😀\n')).toBe('a\tb\r\nc — é 模型 😀\n');
    expect(terminalSafe('\r[###...] 10 rows\u001b[K', { progress: true })).toBe('\r[###...] 10 rows\u001b[K');
    expect(terminalSafe('\r[###...] file \u001b[2Jx.csv\u001b[K', { progress: true })).toBe('\r[###...] file \\x1b[2Jx.csv\u001b[K');
  });
});

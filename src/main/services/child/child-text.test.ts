import { describe, expect, it } from 'vitest';
import { lastLines } from './child-text';

describe('lastLines', () => {
  it('drops native frames and banner lines, keeps the last three', () => {
    expect(lastLines('a\n1: 0x1234 frame\n<--- Last few GCs --->\nb\n---- x ----\n<->\nc')).toBe('b | <-> | c');
    expect(lastLines('x\n<-->\ny')).toBe('x | y');
  });
  it("a crashed child's 4 000-character `<---…` line (the whole stderr tail) is read at once", { timeout: 5_000 }, () => {
    // ^<-+.*-+>$ tried every split of the dashes (cubic): 4 000 characters took 11.6 s
    expect(lastLines(`ok\n<-${'-'.repeat(3_997)}x`)).toBe(`ok | <-${'-'.repeat(3_997)}x`.slice(0, 600));
  });
});

import { describe, expect, it } from 'vitest';
import { csvToGrid, gridToCsv, parsePasted, pasteBlock } from './grid';

describe('signature grid', () => {
  it('reads a CSV body, and the signature columns when there is none', () => {
    expect(csvToGrid('a,b\n1,2\n3\n', ['x'])).toEqual({ columns: ['a', 'b'], rows: [['1', '2'], ['3', '']] });
    expect(csvToGrid(null, ['age', 'sex'])).toEqual({ columns: ['age', 'sex'], rows: [['', '']] });
  });

  it('pastes a spreadsheet block (tabs) from the cell pasted into, growing rows, dropping extra columns', () => {
    const g = { columns: ['a', 'b', 'c'], rows: [['1', '2', '3']] };
    const block = parsePasted('10\t20\t30\t40\r\n11\t21\r\n');
    expect(block).toEqual([['10', '20', '30', '40'], ['11', '21']]);
    expect(pasteBlock(g, 0, 1, block).rows).toEqual([['1', '10', '20'], ['', '11', '21']]);
    expect(parsePasted('x,"y, z"\n1,2')).toEqual([['x', 'y, z'], ['1', '2']]);
  });

  it('writes CSV with quoting where needed', () => {
    expect(gridToCsv({ columns: ['a', 'b'], rows: [['1', 'x,y'], ['', '"q"']] })).toBe('a,b\n1,"x,y"\n,"""q"""\n');
  });
});

describe('parsePasted: a hostile paste', () => {
  it('a long run of blank lines before the last row is read at once, the trailing breaks dropped', { timeout: 5_000 }, () => {
    // /\n+$/ re-scanned the run from each of its breaks: 100 000 breaks took 4.1 s
    expect(parsePasted(`a\tb${'\n'.repeat(200_000)}c\td\n\n\n`).filter((r) => r.join('') !== '')).toEqual([['a', 'b'], ['c', 'd']]);
  });
});

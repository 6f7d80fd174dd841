import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NaT, type Timestamp } from './cells';
import { pandasDatetimeFromStr } from './datetime-strings';
import { parsePandasIso8601 } from './pandas-iso8601';

/** Debian's pandas 1.5.3 on 4 555 generated strings, its ISO reader alone (test/fidelity/record_pandas_iso8601.py). */
const recorded = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'fidelity', 'pandas-iso8601.json'), 'utf8')) as {
  pandas: string;
  cases: [string, string][];
};

/** What `array_to_datetime(require_iso8601=True)` answered, as this module reads the string. */
function isoOnly(s: string): string {
  if (s === '') return 'NaT';
  if (parsePandasIso8601(s) === null) return 'ValueError';
  try {
    const v = pandasDatetimeFromStr(s, 0);
    return v === NaT ? 'NaT' : String((v as Timestamp).ns);
  } catch (e) {
    return (e as { pyType?: string }).pyType ?? String(e);
  }
}

describe("pandas 1.5.3's ISO 8601 reader (np_datetime_strings.c parse_iso_8601_datetime)", () => {
  it('reads, refuses and bounds-checks every recorded string as pandas did', () => {
    expect(recorded.pandas).toBe('1.5.3');
    expect(recorded.cases.length).toBeGreaterThan(4000);
    const wrong = recorded.cases.filter(([s, want]) => isoOnly(s) !== want).map(([s, want]) => `${JSON.stringify(s)}: ${isoOnly(s)}, pandas ${want}`);
    expect(wrong.slice(0, 20)).toEqual([]);
  });

  it('reads the forms the old pattern refused, which pandas never hands to dateutil', () => {
    const at = (s: string): string => (pandasDatetimeFromStr(s, 0) as Timestamp).iso('T');
    expect(at('2024-01')).toBe('2024-01-01T00:00:00');
    expect(at('2024')).toBe('2024-01-01T00:00:00');
    expect(at('20240115')).toBe('2024-01-15T00:00:00');
    expect(at('2024.01.15')).toBe('2024-01-15T00:00:00');
    expect(at('2024-01-15T103000')).toBe('2024-01-15T10:30:00');
    expect(at('2024-01-15T10:30+5')).toBe('2024-01-15T05:30:00');
  });

  it('notes the zone of what it reads for the mixed-zone refusal', () => {
    const offsets: (number | 'naive')[] = [];
    pandasDatetimeFromStr('2024-01-15T10:30:00-0:3', 0, offsets);
    pandasDatetimeFromStr('2024-01', 1, offsets);
    expect(offsets).toEqual([-3, 'naive']);
  });
});

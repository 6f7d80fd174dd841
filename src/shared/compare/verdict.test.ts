import { describe, expect, it } from 'vitest';
import { compareCells, formatNumber } from './cells';
import { verdict, type VerdictTarget } from './verdict';

const tol = { abs: 1e-6, rel: 1e-6 };
const t = (name: string, body: unknown, status: number | null = 200, extra: Partial<VerdictTarget> = {}): VerdictTarget => ({ name, status, body, json: true, ...extra });

interface Case {
  name: string;
  targets: VerdictTarget[];
  kind: 'agree' | 'disagree' | 'no-predictions' | 'no-answer';
  /** Every fragment must appear in the sentence. */
  says: string[];
  mismatchRows?: number[];
}

const cases: Case[] = [
  {
    name: 'identical bare lists',
    targets: [t('a', [1.5, 2.5]), t('b', [1.5, 2.5])],
    kind: 'agree',
    says: ['Same predictions within 1e-6 (2 rows).'],
  },
  {
    name: 'Azure bare list vs MLflow {"predictions"} within tolerance',
    targets: [t('local:azureml', [206.1166, 68.07]), t('local:mlflow', { predictions: [206.1166000001, 68.07] })],
    kind: 'agree',
    says: ['Same predictions within 1e-6', 'local:azureml returns a bare list', 'local:mlflow wraps it in {"predictions": …}'],
  },
  {
    name: 'one row off by more than the tolerance',
    targets: [t('a', [1, 2, 3]), t('b', { predictions: [1, 2.5, 3] })],
    kind: 'disagree',
    says: ['Predictions differ: 1 of 3 rows not within 1e-6', 'row 1: 2 vs 2.5, off by 0.5'],
    mismatchRows: [1],
  },
  {
    name: 'relative tolerance absorbs float32 noise on large values',
    targets: [t('a', [123456.7]), t('b', [123456.71])],
    kind: 'agree',
    says: ['Same predictions within 1e-6 (1 row).'],
  },
  {
    name: 'label vs probabilities',
    targets: [t('azure', [0, 1]), t('teammate', { predictions: [[0.9, 0.1], [0.2, 0.8]] })],
    kind: 'disagree',
    says: ['azure returns one value per row, teammate returns 2 values per row', 'predict() vs predict_proba()', 'matches the label on 2 of 2 rows'],
  },
  {
    name: 'named outputs (dict) compared per output',
    targets: [t('a', { label: [1, 0], probabilities: [[0.1, 0.9], [0.7, 0.3]] }), t('b', { predictions: { label: [1, 0], probabilities: [[0.1, 0.9], [0.6, 0.4]] } })],
    kind: 'disagree',
    says: ["1 of 2 rows of 'probabilities'", 'a returns named outputs (label, probabilities), b wraps it in {"predictions": …}'],
    mismatchRows: [1],
  },
  {
    name: 'an output only one side has',
    targets: [t('a', { label: [1], score: [0.3] }), t('b', { label: [1] })],
    kind: 'disagree',
    says: ["output 'score' only from a"],
  },
  {
    name: 'records vs list of scalars with the same values',
    targets: [t('a', [{ variable: 1.5 }, { variable: 2 }]), t('b', { predictions: [1.5, 2] })],
    kind: 'agree',
    says: ['Same predictions', 'a returns a bare list of records'],
  },
  {
    name: 'different row counts',
    targets: [t('a', [1, 2, 3]), t('b', [1, 2])],
    kind: 'disagree',
    says: ['a returns 3 rows', 'b returns 2'],
  },
  {
    name: 'NaN on both sides agrees, NaN on one side does not',
    targets: [t('a', ['NaN', 1]), t('b', ['NaN', 'NaN'])],
    kind: 'disagree',
    says: ['1 of 2 rows', 'row 1'],
    mismatchRows: [1],
  },
  {
    name: 'strings (labels) compared exactly',
    targets: [t('a', ['setosa', 'virginica']), t('b', ['setosa', 'versicolor'])],
    kind: 'disagree',
    says: ['row 1: "virginica" vs "versicolor"'],
  },
  {
    name: '200 vs 424 with the model error',
    targets: [t('local', [1]), t('azure', { message: 'x' }, 424, { detail: 'model error 500: ValueError' })],
    kind: 'disagree',
    says: ['local answers 200, but azure answers 424 (model error 500: ValueError)'],
  },
  {
    name: 'both refuse alike',
    targets: [t('a', { error_code: 'BAD_REQUEST' }, 400), t('b', { message: 'bad' }, 400)],
    kind: 'no-predictions',
    says: ['Both refuse the request with 400'],
  },
  {
    name: 'no answer (connection refused)',
    targets: [t('a', [1]), t('b', null, null, { detail: 'connection refused at 127.0.0.1:9' })],
    kind: 'no-answer',
    says: ['b gave no answer (connection refused at 127.0.0.1:9)'],
  },
  {
    name: 'three targets, all agree',
    targets: [t('a', [1]), t('b', { predictions: [1] }), t('c', [1])],
    kind: 'agree',
    says: ['All 3 targets give the same predictions within 1e-6; a and c return a bare list, b wraps it in {"predictions": …}.'],
  },
  {
    name: 'three targets, the third disagrees',
    targets: [t('a', [1]), t('b', [1]), t('c', [2])],
    kind: 'disagree',
    says: ['c vs a: Predictions differ'],
  },
];

describe('verdict', () => {
  it.each(cases)('$name', (c) => {
    const v = verdict(c.targets, { tolerance: tol });
    expect(v.kind).toBe(c.kind);
    expect(v.agree).toBe(c.kind === 'agree');
    for (const s of c.says) expect(v.sentence).toContain(s);
    if (c.mismatchRows) expect(v.pairs[0]!.outputs.flatMap((o) => o.mismatches.map((m) => m.row))).toEqual(c.mismatchRows);
  });

  it('uses a per-output tolerance over the default one', () => {
    const targets = [t('a', { p: [0.5], q: [1] }), t('b', { p: [0.51], q: [1] })];
    expect(verdict(targets, { tolerance: tol }).agree).toBe(false);
    const v = verdict(targets, { tolerance: tol, perOutput: { p: { abs: 0.05, rel: 0 } } });
    expect(v.agree).toBe(true);
    expect(v.pairs[0]!.outputs.find((o) => o.output === 'p')!.maxDiff).toBeCloseTo(0.01, 10);
  });

  it('lists at most maxRows mismatches but counts them all', () => {
    const a = Array.from({ length: 500 }, (_, i) => i);
    const b = a.map((x) => x + 1);
    const v = verdict([t('a', a), t('b', b)], { tolerance: tol, maxRows: 10 });
    expect(v.pairs[0]!.outputs[0]!.mismatchCount).toBe(500);
    expect(v.pairs[0]!.outputs[0]!.mismatches).toHaveLength(10);
    expect(v.sentence).toContain('500 of 500 rows');
  });

  it('asks for a second target when there is one', () => {
    expect(verdict([t('a', [1])], { tolerance: tol }).sentence).toMatch(/second target/);
  });
});

describe('compareCells', () => {
  it.each([
    [1, 1 + 5e-7, true],
    [1, 1 + 5e-6, false],
    [1e6, 1e6 + 0.5, true],
    ['Infinity', Number.POSITIVE_INFINITY, true],
    ['Infinity', 1, false],
    [[1, 2], [1, 2, 3], false],
    [{ a: 1 }, { a: 1 + 1e-9 }, true],
    [{ a: 1 }, { b: 1 }, false],
    ['1', 1, false],
    [true, true, true],
    [null, null, true],
  ])('%j vs %j → %s', (a, b, equal) => {
    expect(compareCells(a, b, tol).equal).toBe(equal);
  });

  it('formats numbers for sentences', () => {
    expect(formatNumber(1e-6)).toBe('1e-6');
    expect(formatNumber(2.5e-7)).toBe('2.5e-7');
    expect(formatNumber(0.52)).toBe('0.52');
    expect(formatNumber(12345.678901)).toBe('12345.7');
  });
});

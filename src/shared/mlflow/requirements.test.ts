import { describe, expect, it } from 'vitest';
import type { Dependency } from './model-report';
import {
  canonicalSpec,
  condaDependency,
  condaPythonVersion,
  findDependencyConflicts,
  findPythonConflict,
  normalizePackageName,
  parsePipLine,
  pipDependencies,
  redactUrl,
  splitPipLines,
} from './requirements';

describe('normalizePackageName (PEP 503)', () => {
  it.each([
    ['Scikit_Learn', 'scikit-learn'],
    ['typing.extensions', 'typing-extensions'],
    ['a__b--c..d', 'a-b-c-d'],
    ['mlflow', 'mlflow'],
  ])('%s → %s', (input, expected) => expect(normalizePackageName(input)).toBe(expected));
});

describe('redactUrl', () => {
  it.each([
    ['https://user:s3cret@pkgs.example.com/simple', 'https://user:***@pkgs.example.com/simple'],
    ['--extra-index-url https://TOKEN123@pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/', '--extra-index-url https://***@pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/'],
    ['https://${PIP_USER}:${PIP_TOKEN}@host/simple', 'https://${PIP_USER}:${PIP_TOKEN}@host/simple'],
    ['git+https://x-token:ghp_abc@github.com/o/r.git', 'git+https://x-token:***@github.com/o/r.git'],
    ['https://pypi.org/simple', 'https://pypi.org/simple'],
  ])('%s', (input, expected) => expect(redactUrl(input)).toBe(expected));
});

describe('parsePipLine', () => {
  it.each([
    ['mlflow', { kind: 'requirement', name: 'mlflow', spec: '', source: 'index' }],
    ['mlflow==2.4.1', { kind: 'requirement', name: 'mlflow', spec: '==2.4.1', source: 'index' }],
    ['mlflow<3,>=2.1', { kind: 'requirement', name: 'mlflow', spec: '<3,>=2.1', source: 'index' }],
    ['mlflow[gateway]==2.12.2', { kind: 'requirement', name: 'mlflow', spec: '==2.12.2', source: 'index' }],
    ['Scikit_Learn >= 1.0 , < 2', { kind: 'requirement', name: 'scikit-learn', spec: '>=1.0,<2', source: 'index' }],
    ['torch==1.9.0+cu102', { kind: 'requirement', name: 'torch', spec: '==1.9.0+cu102', source: 'index' }],
    ['pywin32==306; sys_platform == "win32"', { kind: 'requirement', name: 'pywin32', spec: '==306', source: 'index' }],
    ['requests (>=2.0)', { kind: 'requirement', name: 'requests', spec: '>=2.0', source: 'index' }],
    ['numpy==1.24.4 --hash=sha256:abcdef', { kind: 'requirement', name: 'numpy', spec: '==1.24.4', source: 'index' }],
    ['mypkg @ https://example.com/mypkg-1.0-py3-none-any.whl', { kind: 'requirement', name: 'mypkg', spec: 'https://example.com/mypkg-1.0-py3-none-any.whl', source: 'url' }],
    ['mypkg @ git+https://github.com/o/mypkg.git@v1', { kind: 'requirement', name: 'mypkg', spec: 'git+https://github.com/o/mypkg.git@v1', source: 'vcs' }],
    ['mypkg @ file:///opt/wheels/mypkg-1.0.tar.gz', { kind: 'requirement', name: 'mypkg', spec: 'file:///opt/wheels/mypkg-1.0.tar.gz', source: 'local-path' }],
    ['git+https://github.com/org/Some_Repo.git@main', { kind: 'requirement', name: 'some-repo', source: 'vcs' }],
    ['git+https://github.com/org/repo.git#egg=real_name', { kind: 'requirement', name: 'real-name', source: 'vcs' }],
    ['-e git+https://github.com/org/repo.git#egg=tool', { kind: 'requirement', name: 'tool', source: 'vcs' }],
    ['-e ./libs/helper', { kind: 'requirement', name: 'helper', spec: './libs/helper', source: 'local-path' }],
    ['./wheels/my_pkg-0.1.0-py3-none-any.whl', { kind: 'requirement', name: 'my-pkg', spec: './wheels/my_pkg-0.1.0-py3-none-any.whl', source: 'local-path' }],
    ['/abs/dist/thing-2.0.tar.gz', { kind: 'requirement', name: 'thing', source: 'local-path' }],
    ['https://example.com/pkgs/other_pkg-3.1-cp310-cp310-linux_x86_64.whl', { kind: 'requirement', name: 'other-pkg', source: 'url' }],
    ['-r requirements.txt', { kind: 'include', option: '-r', path: 'requirements.txt' }],
    ['--requirement=more.txt', { kind: 'include', option: '-r', path: 'more.txt' }],
    ['-c constraints.txt', { kind: 'include', option: '-c', path: 'constraints.txt' }],
    ['--index-url https://pypi.org/simple', { kind: 'option', option: '--index-url', source: 'index' }],
    ['-i https://u:p@pkgs.corp.example/simple', { kind: 'option', option: '--index-url', value: 'https://u:***@pkgs.corp.example/simple', source: 'private-index' }],
    ['--extra-index-url=https://pkgs.corp.example/simple', { kind: 'option', option: '--extra-index-url', source: 'private-index' }],
    ['--find-links https://download.pytorch.org/whl/torch_stable.html', { kind: 'option', option: '--find-links', source: 'url' }],
    ['-f ./wheels', { kind: 'option', option: '--find-links', source: 'local-path' }],
    ['--pre', { kind: 'option', option: '--pre', source: 'option' }],
    ['--trusted-host pkgs.corp.example', { kind: 'option', option: '--trusted-host', source: 'option' }],
    ['--bogus', { kind: 'invalid' }],
    ['-r', { kind: 'invalid' }],
    ['numpy=>1.0', { kind: 'invalid' }],
    ['this is not a requirement', { kind: 'invalid' }],
  ])('%s', (line, expected) => {
    expect(parsePipLine(line)).toMatchObject(expected);
  });

  it('redacts credentials in raw and spec', () => {
    const p = parsePipLine('pkg @ https://user:hunter2@host/pkg-1.0.tar.gz');
    expect(JSON.stringify(p)).not.toContain('hunter2');
    expect(p).toMatchObject({ raw: 'pkg @ https://user:***@host/pkg-1.0.tar.gz', spec: 'https://user:***@host/pkg-1.0.tar.gz' });
  });
});

describe('splitPipLines', () => {
  it('drops comments and blanks, joins continuations, keeps 1-based first lines and URL fragments', () => {
    const text = '\uFEFF# header\nmlflow==2.4  # pinned\n\nnumpy \\\n  >=1.0\ngit+https://h/r.git#egg=r\n';
    expect(splitPipLines(text)).toEqual([
      { text: 'mlflow==2.4', line: 2 },
      { text: 'numpy   >=1.0', line: 4 },
      { text: 'git+https://h/r.git#egg=r', line: 6 },
    ]);
  });
});

describe('pipDependencies', () => {
  it('marks index requirements private when the file points pip at a non-PyPI index, and collects index URLs', () => {
    const lines = splitPipLines('--extra-index-url https://tok@pkgs.corp.example/simple\ninternal-lib==1.0\n-r other.txt\n');
    const result = pipDependencies(lines, 'requirements.txt');
    expect(result.indexUrls).toEqual(['https://***@pkgs.corp.example/simple']);
    expect(result.includes).toEqual([{ option: '-r', path: 'other.txt', line: 3 }]);
    expect(result.dependencies.map((d) => [d.name, d.source, d.line])).toEqual([
      ['--extra-index-url', 'private-index', 1],
      ['internal-lib', 'private-index', 2],
    ]);
  });

  it('reports invalid lines with file and line', () => {
    const result = pipDependencies(splitPipLines('ok==1\nnot a req\n'), 'requirements.txt');
    expect(result.errors).toEqual([{ line: 2, message: expect.stringMatching(/^requirements\.txt line 2: "not a req" is not valid pip syntax \(not a package name/) }]);
  });
});

describe('condaDependency', () => {
  it.each([
    ['python=3.8.5', { name: 'python', spec: '=3.8.5', channel: 'conda-forge', source: 'index', installer: 'conda' }],
    ['pip<=21.2.4', { name: 'pip', spec: '<=21.2.4', source: 'index' }],
    ['pip', { name: 'pip', spec: '' }],
    ['scikit-learn=0.22.2.post1', { name: 'scikit-learn', spec: '=0.22.2.post1' }],
    ['pytorch::pytorch=2.0', { name: 'pytorch', spec: '=2.0', channel: 'pytorch' }],
    ['numpy 1.24.*', { name: 'numpy', spec: '1.24.*' }],
    ['https://conda.anaconda.org/conda-forge/linux-64/numpy-1.24.4-py38h59b608b_0.tar.bz2', { name: 'numpy', source: 'url' }],
  ])('%s', (entry, expected) => {
    expect(condaDependency(entry, 'conda.yaml', 3, ['conda-forge'])).toMatchObject(expected);
  });

  it('packages from a private channel URL are private-index, with the channel redacted', () => {
    expect(condaDependency('corp-lib=1.0', 'conda.yaml', 5, ['https://user:pw@conda.corp.example/channel'])).toMatchObject({
      source: 'private-index',
      channel: 'https://user:***@conda.corp.example/channel',
    });
  });

  it('rejects nonsense with the file and line', () => {
    expect(condaDependency('=1.0', 'conda.yaml', 7, [])).toEqual({ error: expect.stringMatching(/^conda\.yaml line 7: "=1.0" is not a conda package spec/) });
  });

  it.each([
    ['=3.8.5', '3.8.5'],
    ['3.10', '3.10'],
    ['==3.12', '3.12'],
    ['=3.9.*', '3.9'],
    ['>=3.8', null],
  ])('python spec %s → %s', (spec, expected) => expect(condaPythonVersion(spec)).toBe(expected));
});

describe('conflicts', () => {
  const dep = (name: string, spec: string, file: string, installer: 'pip' | 'conda' = 'pip'): Dependency => ({
    name, spec, raw: `${name}${spec}`, file, line: 1, installer, channel: null, source: 'index',
  });

  it.each([
    ['==2.4', 'pip', '<3', true],
    ['==2.4', 'pip', '==2.4', false],
    ['=0.22.2.post1', 'conda', '==0.22.2.post1', false],
    ['', 'pip', '==2.4', true],
    ['>=2.1,<3', 'pip', '<3,>=2.1', false],
  ] as const)('conda.yaml %s (%s) vs requirements.txt %s → conflict %s', (a, installer, b, expected) => {
    const conflicts = findDependencyConflicts([dep('mlflow', a, 'conda.yaml', installer), dep('mlflow', b, 'requirements.txt')]);
    expect(conflicts.length > 0).toBe(expected);
    if (expected) expect(conflicts[0].message).toMatch(/^mlflow: conda\.yaml .*requirements\.txt asks for/);
  });

  it('ignores pip/setuptools/wheel and python, and constraints next to unpinned requirements', () => {
    expect(findDependencyConflicts([dep('pip', '<=23.1.2', 'conda.yaml', 'conda'), dep('pip', '==23.1.2', 'python_env.yaml')])).toEqual([]);
    expect(findDependencyConflicts([dep('numpy', '', 'requirements.txt'), dep('numpy', '==1.24', 'constraints.txt')], new Set(['constraints.txt']))).toEqual([]);
  });

  it('canonicalSpec', () => {
    expect(canonicalSpec('=1.2=py38_0', 'conda')).toBe('==1.2');
    expect(canonicalSpec(' <3 , >=2 ', 'pip')).toBe('<3,>=2');
  });

  it.each([
    [[{ file: 'MLmodel', version: '3.12.3' }, { file: 'conda.yaml', version: '3.12' }], false],
    [[{ file: 'MLmodel', version: '3.10.16' }, { file: 'conda.yaml', version: '3.8.12' }, { file: 'python_env.yaml', version: '3.8.12' }], true],
    [[{ file: 'MLmodel', version: '3.8' }], false],
  ])('python %j → conflict %s', (sources, expected) => {
    const conflict = findPythonConflict(sources);
    expect(conflict !== null).toBe(expected);
    if (conflict) expect(conflict.message).toMatch(/^python: MLmodel says 3\.10\.16, conda\.yaml says 3\.8\.12/);
  });
});

describe('hostile requirement lines are read at once', () => {
  const tabs = '\t'.repeat(200_000);
  it('a long blank run inside a line', { timeout: 5_000 }, () => {
    // each pattern below re-scanned a blank run from each of its blanks (100 000 tabs: 4.6-15 s each)
    expect(splitPipLines(`numpy${tabs}x #c`)).toEqual([{ text: `numpy${tabs}x`, line: 1 }]);
    expect(parsePipLine(`numpy${tabs}x`)).toMatchObject({ kind: 'invalid', reason: 'not a package name, option, URL or path; expected e.g. numpy==1.24' });
    expect(parsePipLine(`https://h/y${tabs}x;`)).toMatchObject({ kind: 'requirement', spec: `https://h/y${tabs}x`, source: 'url' });
    expect(parsePipLine(`a/b${tabs}x`)).toMatchObject({ kind: 'requirement', spec: `a/b${tabs}x`, source: 'local-path' });
    expect(parsePipLine(`numpy==${tabs}x\ry`)).toMatchObject({ kind: 'requirement', name: 'numpy', spec: '==xy' });
    expect(condaDependency(`numpy${tabs}x\ny`, 'conda.yaml', 3, [])).toEqual({ error: expect.stringMatching(/^conda\.yaml line 3: ".*" is not a conda package spec/) });
  });
  it('long runs of name, slash, `#` and `-digit` characters in a URL', { timeout: 5_000 }, () => {
    // redactUrl tried each letter of a long run as a scheme (100 000 letters: 13 s); the egg fragment, trailing
    // slashes, the fragment cut and the sdist name re-scanned from each `#` / slash / `-digit` (100 000: 2.7-15 s)
    expect(parsePipLine(`${'a'.repeat(200_000)}+@`)).toMatchObject({ kind: 'invalid' });
    expect(redactUrl(`see 1a+b://user:pw@h and ${'a'.repeat(200_000)}`)).toBe(`see 1a+b://user:***@h and ${'a'.repeat(200_000)}`);
    expect(parsePipLine(`https://h/y${'#-'.repeat(100_000)}`)).toMatchObject({ kind: 'requirement', name: 'y' });
    expect(parsePipLine(`https://h/pkg.git#x&egg=a&egg=b_c${'#'.repeat(200_000)}`)).toMatchObject({ name: 'b-c' });
    expect(parsePipLine(`https://h/${'/'.repeat(200_000)}y`)).toMatchObject({ kind: 'requirement', name: 'y' });
    expect(parsePipLine(`https://h/y${'#'.repeat(200_000)}\rz`)).toMatchObject({ kind: 'requirement' });
    expect(parsePipLine(`https://h/p${'-2'.repeat(100_000)}x`)).toMatchObject({ kind: 'requirement', name: `p${'-2'.repeat(100_000)}x` });
    expect(parsePipLine('https://h/my_pkg-1.0.tar.gz')).toMatchObject({ name: 'my-pkg' });
  });
});

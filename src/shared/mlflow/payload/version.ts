/**
 * Which MLflow server behaviour to emulate (payloads.md §10): a no-code Azure deployment installs the
 * model's own pinned mlflow, so the pin decides the answer. 2.0.1, 2.1.0, 2.3.1, 2.4.2, 2.5.0, 2.6.0, 2.7.1, 2.8.1, 2.10.2, 2.12.2, 2.16.2 and
 * 3.6.1.dev0 (FastAPI, the default's behaviour) were observed against the real servers (docs/fidelity.md); versions
 * in between are mapped to the nearest observed behaviour, with the rules that changed gated by version
 * (enforce.ts), and the note says so.
 */
import { AppError, ErrorCodes } from '../../errors';
import type { Era } from './enforce';
import type { Dependency } from '../model-report';
import type { MlflowVersionInfo } from './answers';
import { observedBefore210 } from './observed-versions';
import { observed1x } from './observed-1x';

export interface EmulatedVersion extends Era {
  /** The version whose behaviour is emulated, e.g. `2.7.1` or `3.6.1`. */
  version: string;
  /** Where the version came from. */
  source: 'override' | 'requirements' | 'mlmodel' | 'default';
  /** One sentence: what is emulated and why. */
  note: string;
}

/** The protocol generations `validate` reports as `mlflow_version.behaviour`: 1.x (pre-2.0, §15), 2.7-era, 2.12-era and later. */
export const MLFLOW_BEHAVIOURS = ['1.x', '2.7', '2.12+'] as const;
export type MlflowBehaviour = (typeof MLFLOW_BEHAVIOURS)[number];

/**
 * Whether the version's scoring server speaks the pre-2.0 protocol (docs/fidelity.md §15: bare pandas JSON, no
 * envelope, no params): the one decision samples, conversions, validation and the playground share.
 */
export const speaksMlflow1 = (v: Pick<EmulatedVersion, 'major'>): boolean => v.major < 2;

/** What every answer says of the version it emulated (validate, samples, convert, predict): one shape everywhere. */
export function versionInfo(v: EmulatedVersion): MlflowVersionInfo {
  const behaviour: MlflowBehaviour = speaksMlflow1(v) ? '1.x' : v.era === '2.12' ? '2.12+' : '2.7';
  return { version: v.version, source: v.source, behaviour, note: v.note };
}

/** The newest behaviour we know (3.x scoring server, payloads.md §0 S1). */
export const DEFAULT_MLFLOW_VERSION = '3.6.1';

/**
 * The releases whose real scoring servers were run and recorded (docs/fidelity.md §1, §7, §10–§16; 3.6.1 as its
 * 3.6.1.dev0 build): the versions the playground's MLflow field offers first. Any other X.Y[.Z] can be typed.
 */
export const RECORDED_MLFLOW_VERSIONS: readonly string[] = ['1.25.1', '1.26.1', '1.28.0', '1.30.1', '2.0.1', '2.1.0', '2.3.1', '2.4.2', '2.5.0', '2.6.0', '2.7.1', '2.8.1', '2.10.2', '2.12.2', '2.16.2', '3.6.1'];

/** 2.x minor → the release recorded from a real server of the 2.10+ era (docs/fidelity.md §7, §12). */
const OBSERVED_2X: Readonly<Record<number, string>> = { 10: '2.10.2', 12: '2.12.2', 16: '2.16.2' };

const VERSION_SHAPE = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?([A-Za-z0-9.+-]*)\s*$/;
/**
 * No version is longer; and the pattern's digit runs can be split several ways, so on a long run of digits that fails
 * at its end it backtracks for seconds (40 000 digits: 5 s) — an MLmodel's `mlflow_version` is a hostile file's text.
 */
const MAX_VERSION_CHARS = 100;

/** VERSION_SHAPE, tried only on texts a version could be. */
const VERSION_RE = {
  test: (text: string): boolean => text.length <= MAX_VERSION_CHARS && VERSION_SHAPE.test(text),
  exec: (text: string): RegExpExecArray | null => (text.length <= MAX_VERSION_CHARS ? VERSION_SHAPE.exec(text) : null),
};

/** Whether `--mlflow-version` / the playground's MLflow field would accept this text (X.Y or X.Y.Z, optional suffix). */
export const isMlflowVersion = (text: string): boolean => VERSION_RE.test(text);

/** `speaksMlflow1` of a version's text (a running server's, a URL's answer); false for a text that is not a version. */
export const versionTextSpeaksMlflow1 = (text: string): boolean => {
  const m = VERSION_RE.exec(text);
  return m !== null && speaksMlflow1({ major: Number(m[1]) });
};

/** Extract the version from `mlflow==2.7.1`, `mlflow[extras]==2.7.1`, `2.7.1` or `2.7`. */
function pinnedVersion(pin: string): string | null {
  const m = /^\s*mlflow(?:-skinny)?(?:\[[^\]]*\])?\s*===?\s*([0-9][0-9A-Za-z.+-]*)/i.exec(pin);
  if (m) return m[1]!;
  return VERSION_RE.test(pin) ? pin.trim() : null;
}

/**
 * Decide the emulated MLflow version: `override` (the user's `--mlflow-version`) wins, then the exact
 * `mlflow==` pin of the requirements (what Azure installs), then MLmodel's `mlflow_version`, then the
 * newest known behaviour. Throws AppError(E_INVALID_INPUT) for an override that is not a version.
 */
export function resolveMlflowVersion(mlmodelVersion: string | null, requirementsPin: string | null, override: string | null = null): EmulatedVersion {
  let source: EmulatedVersion['source'];
  let raw: string;
  if (override !== null && override.trim() !== '') {
    if (!VERSION_RE.test(override))
      throw new AppError(ErrorCodes.INVALID_INPUT, `MLflow version '${override.length > 40 ? `${override.slice(0, 40)}…` : override}' is not a version: write it as X.Y or X.Y.Z, e.g. 2.7 or 2.12.2.`);
    source = 'override';
    raw = override.trim().replace(/^v/, ''); // 'v2.12.2' is 2.12.2 (the shape allows the tag's v)
  } else if (requirementsPin && pinnedVersion(requirementsPin)) {
    source = 'requirements';
    raw = pinnedVersion(requirementsPin)!;
  } else if (mlmodelVersion && VERSION_RE.test(mlmodelVersion)) {
    source = 'mlmodel';
    raw = mlmodelVersion.trim();
  } else {
    source = 'default';
    raw = DEFAULT_MLFLOW_VERSION;
  }
  const m = VERSION_RE.exec(raw)!;
  const major = Number(m[1]), minor = Number(m[2]), patch = m[3] === undefined ? 0 : Number(m[3]);
  // The 2.12-era texts ("Invalid input. …", "Failed to predict data '…'") came with mlflow/mlflow#9936 (3372c3142), first in 2.10.0.
  const era: Era['era'] = major > 2 || (major === 2 && minor >= 10) ? '2.12' : '2.7';
  const why =
    source === 'override' ? 'chosen by you instead of the model\'s own version'
      : source === 'requirements' ? `pinned in the model's requirements (${requirementsPin!.trim()}), which is what Azure installs`
        : source === 'mlmodel' ? "recorded as mlflow_version in MLmodel (no exact mlflow pin in the requirements)"
          : 'the model names no MLflow version, so the newest known behaviour is used';
  let behaviour: string;
  if (major < 2) behaviour = observed1x(major, minor);
  else if (era === '2.7') behaviour = observedBefore210(major, minor);
  else if (major === 2 && OBSERVED_2X[minor] !== undefined) behaviour = `behaviour observed on the real ${OBSERVED_2X[minor]} server (Flask)`;
  else if (major === 2 && minor < 21)
    behaviour = `the behaviour observed on the real 2.10.2, 2.12.2 and 2.16.2 servers (Flask), with the rules MLflow changed in between gated by version (${major}.${minor} itself was not run)`;
  else if (major === 3 && minor === 6) behaviour = 'behaviour observed on the real 3.6.1.dev0 server (FastAPI)';
  else behaviour = `the behaviour observed on the real 3.6.1.dev0 server (FastAPI, MLflow ≥ 2.21), with the rules MLflow changed gated by version (${major}.${minor} itself was not run)`;
  return { version: raw, source, era, major, minor, patch, note: `Emulating MLflow ${raw}, ${why}: ${behaviour}.` };
}

/** The exact mlflow pin Azure installs: conda.yaml's pip list first (the no-code image is built from it), then requirements.txt. */
export function mlflowPin(dependencies: readonly Dependency[]): string | null {
  const exact = dependencies.filter((d) => (d.name === 'mlflow' || d.name === 'mlflow-skinny') && /^===?\s*\d/.test(d.spec.trim()) && !d.spec.includes(','));
  const rank = (d: Dependency): number => (/conda\.ya?ml$/i.test(d.file) ? 0 : /requirements/i.test(d.file) ? 1 : 2);
  const best = [...exact].sort((a, b) => rank(a) - rank(b))[0];
  return best ? `${best.name}${best.spec.trim()}` : null;
}

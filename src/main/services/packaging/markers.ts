/**
 * PEP 508 environment markers evaluated for the *target* (Azure's container), not for this laptop.
 * The tree comes from pip-requirements-js's PEP 508 grammar; evaluation is written here because no
 * maintained marker evaluator exists on npm. It follows `packaging.markers` (the reference pip uses):
 * - a version operator whose right side is a valid specifier compares as PEP 440 (`Specifier(op+rhs)
 *   .contains(lhs, prereleases=True)`); otherwise as Python string comparison;
 * - `in` / `not in` are substring tests;
 * - `extra` compares PEP 685-normalised names, and is '' for top-level requirements.
 */
import type { EnvironmentMarker, EnvironmentMarkerLeaf } from 'pip-requirements-js';
import { satisfiesSpecifier, isValidSpecifier } from '../versions/pep440';
import { normalizeName } from './requirement';

export interface MarkerEnvironment {
  python_version: string;
  python_full_version: string;
  os_name: string;
  sys_platform: string;
  platform_release: string;
  platform_system: string;
  platform_version: string;
  platform_machine: string;
  platform_python_implementation: string;
  implementation_name: string;
  implementation_version: string;
  extra: string;
}

const VARIABLES = new Set<string>([
  'python_version', 'python_full_version', 'os_name', 'sys_platform', 'platform_release', 'platform_system',
  'platform_version', 'platform_machine', 'platform_python_implementation', 'implementation_name',
  'implementation_version', 'extra',
]);

export class MarkerError extends Error {}

function isLeaf(m: EnvironmentMarker): m is EnvironmentMarkerLeaf {
  return typeof m.left === 'string';
}

function valueOf(side: string, env: MarkerEnvironment): { value: string; variable: string | null } {
  if (/^(["']).*\1$/s.test(side)) return { value: side.slice(1, -1), variable: null };
  if (!VARIABLES.has(side)) throw new MarkerError(`Unknown marker variable \`${side}\`.`);
  return { value: env[side as keyof MarkerEnvironment], variable: side };
}

function compareStrings(op: string, a: string, b: string): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '===': return a === b;
    default: throw new MarkerError(`Operator \`${op}\` cannot compare the strings "${a}" and "${b}".`);
  }
}

function evaluateLeaf(leaf: EnvironmentMarkerLeaf, env: MarkerEnvironment): boolean {
  const l = valueOf(leaf.left, env);
  const r = valueOf(leaf.right, env);
  let lhs = l.value;
  let rhs = r.value;
  if (l.variable === 'extra' || r.variable === 'extra') {
    lhs = lhs === '' ? '' : normalizeName(lhs);
    rhs = rhs === '' ? '' : normalizeName(rhs);
  }
  const op = leaf.operator as string;
  if (op === 'in') return rhs.includes(lhs);
  if (op === 'not in') return !rhs.includes(lhs);
  if (op !== '===' && isValidSpecifier(`${op}${rhs}`) && !/^=[^=]/.test(`${op}${rhs}`)) {
    const ok = satisfiesSpecifier(lhs, `${op}${rhs}`);
    if (ok !== null) return ok;
  }
  return compareStrings(op, lhs, rhs);
}

/** Whether the marker holds in `env`; a null marker always holds. */
export function evaluateMarker(marker: EnvironmentMarker | null, env: MarkerEnvironment): boolean {
  if (marker === null) return true;
  if (isLeaf(marker)) return evaluateLeaf(marker, env);
  if (marker.operator === 'and') return evaluateMarker(marker.left, env) && evaluateMarker(marker.right, env);
  return evaluateMarker(marker.left, env) || evaluateMarker(marker.right, env);
}

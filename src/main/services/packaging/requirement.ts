/**
 * PEP 508 requirements (`name[extra1,extra2] (>=1,<2) ; marker`), parsed by `pip-requirements-js`, whose
 * grammar is an Ohm port of PEP 508's complete grammar. Names are normalised per PEP 503 so `Scikit_Learn`
 * and `scikit-learn` are the same project.
 */
import { parsePipRequirementsLine, type EnvironmentMarker } from 'pip-requirements-js';

export interface Requirement {
  /** PEP 503 normalised name. */
  name: string;
  /** The name as written. */
  displayName: string;
  extras: string[];
  /** PEP 440 specifier, comma-joined (`>=1.0,<2`); '' for "any version". */
  specifier: string;
  marker: EnvironmentMarker | null;
  /** The marker as written (for messages), '' when none. */
  markerText: string;
  raw: string;
}

export class RequirementSyntaxError extends Error {}

/** PEP 503: lower-case, runs of `-`, `_`, `.` become one `-`. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * One requirement line. Throws RequirementSyntaxError with the line quoted for anything that is not a
 * plain name requirement (URLs, `-r` includes, options) — an offline wheelhouse can only satisfy names.
 */
export function parseRequirement(line: string): Requirement {
  const text = line.trim();
  let parsed;
  try {
    parsed = parsePipRequirementsLine(text);
  } catch (err) {
    throw new RequirementSyntaxError(`\`${text}\` is not a PEP 508 requirement (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).`);
  }
  if (!parsed) throw new RequirementSyntaxError(`\`${text}\` holds no requirement.`);
  if (parsed.type !== 'ProjectName') {
    throw new RequirementSyntaxError(`\`${text}\` is a ${parsed.type === 'ProjectURL' ? 'direct URL reference' : 'requirements/constraints include'}; an offline package can only resolve named requirements against wheels.`);
  }
  const semi = text.indexOf(';');
  return {
    name: normalizeName(parsed.name),
    displayName: parsed.name,
    extras: (parsed.extras ?? []).map(normalizeName),
    specifier: (parsed.versionSpec ?? []).map((s) => `${s.operator}${s.version}`).join(','),
    marker: parsed.environmentMarkerTree ?? null,
    markerText: semi >= 0 ? text.slice(semi + 1).trim() : '',
    raw: text,
  };
}

/** `name[extras]specifier` without the marker, as a short label in requirement chains. */
export function requirementLabel(r: Pick<Requirement, 'displayName' | 'extras' | 'specifier'>): string {
  return `${r.displayName}${r.extras.length ? `[${r.extras.join(',')}]` : ''}${r.specifier}`;
}

/**
 * Whether an installed package satisfies a model's pin. One reading of versions in the product: this is
 * PEP 440 from `services/versions/pep440.ts` (conda's `=1.2` prefix form included). Anything unreadable
 * is reported as not comparable (null) rather than guessed.
 */
import { satisfiesSpecifier } from '../../versions/pep440';

/** Whether `installed` satisfies `spec` (`==1.2.2`, `>=1,<2`, `~=1.4`, conda `=1.2`); null when either is unreadable. */
export function satisfies(installed: string, spec: string): boolean | null {
  return satisfiesSpecifier(installed, spec.replace(/\s+/g, ''));
}

/** `a,b` → `['a','b']`; empty entries dropped. Read by every host for env path lists (PREFLIGHT_TRUST, PREFLIGHT_ALLOW_WRITE). */
export const splitPathList = (value: string | undefined): string[] | null =>
  value ? value.split(',').map((p) => p.trim()).filter((p) => p !== '') : null;

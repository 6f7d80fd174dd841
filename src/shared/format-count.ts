/**
 * `12345678` → `12,345,678`: how Preflight writes counts and exact byte counts — the tables, the Files tab and the
 * limits its messages name (`more than 5,000 dependencies`) — the same on every machine, whatever its locale.
 */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

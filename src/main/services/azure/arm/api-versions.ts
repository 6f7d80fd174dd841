/** The api-versions Preflight pins (azure.md §0): one constant each, so a bump is one line. */
export const ML_API_VERSION = '2025-09-01';
/** Model packaging exists only in preview api-versions; 2024-04-01-preview is the newest that has it. */
export const ML_PACKAGE_API_VERSION = '2024-04-01-preview';
export const SUBSCRIPTIONS_API_VERSION = '2022-12-01';

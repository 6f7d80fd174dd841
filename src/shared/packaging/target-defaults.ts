/**
 * The machine an offline package is built for when the user names none: one place for the packaging service, the
 * CLI's help and the Package tab's form and hint (the tab spelled them again and its hint drifted to another spelling).
 */

/**
 * Default platform: manylinux_2_17 (glibc 2.17, "manylinux2014"), the conservative floor that every
 * wheel accepted here runs on in Azure's Ubuntu-based inference images; wheels that need a newer glibc
 * are named as gaps, and `--platform manylinux_2_35_x86_64` opts in when the image is known to be newer.
 */
export const DEFAULT_PLATFORM = 'manylinux_2_17_x86_64';
/** Azure's curated MLflow inference image (`mlflow-py312-inference`) runs Python 3.12 (payloads.md A1). */
export const DEFAULT_PYTHON = '3.12';

/** `preflight open` / `node out/node/host.js` usage: shared by the CLI and the browser-mode host, which runs as its own process. */
// --dialog-paths and --renderer-dir exist for the E2E tests (scripted folder pickers, a private build); they
// stay accepted but are not advertised, so a user reading --help meets only what is meant for them.
export const BROWSER_MODE_USAGE = `Usage: preflight open [model-dir] [--port N] [--json-ready]

Starts Preflight in browser mode: serves the app on http://127.0.0.1:<port>/ and prints the URL (with its
one-time token) to open in a browser. Stop it with Ctrl+C.

  --port N             port to listen on (default 0: a free port)
  --model <dir>        model to open first (same as the positional model-dir)
  --json-ready         also print {"url": …} as one JSON line once listening (for scripts and tests)
  --allow-write <dir>  a folder batch outputs may be written to (repeatable; env PREFLIGHT_ALLOW_WRITE, a path
                       list). Besides these, outputs go only inside opened model folders and picked folders
  --trust <dir>        trust this folder's models to run code for this session, without asking (repeatable;
                       env PREFLIGHT_TRUST, a path list). Not saved; the app's Trust answer is saved
  --user-data <dir>    settings and recent list folder (env PREFLIGHT_USER_DATA)
  --host 127.0.0.1     the only address accepted`;


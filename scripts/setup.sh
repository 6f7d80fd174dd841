#!/usr/bin/env bash
# Installs what a fresh machine lacks, then the npm packages. Idempotent: a second run only checks.
# Used by the README's two commands and by .ci/run, so what CI installs is what a developer gets.
set -euo pipefail
cd "$(dirname "$0")/.."

# Electron's binary cannot be downloaded everywhere (the package still installs its types and electron-vite
# builds). onnxruntime-node's install script only fetches CUDA binaries (its CPU binaries ship inside the
# package): package.json's allowScripts denies it, and the variable covers npm versions without allowScripts.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1 ONNXRUNTIME_NODE_INSTALL=skip DEBIAN_FRONTEND=noninteractive

apt_needed=()
command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ] || apt_needed+=(chromium)
# onnxruntime's StringNormalizer op needs the en_US.UTF-8 locale (fixtures README, point 7).
locale -a 2>/dev/null | grep -qiE '^en_US\.utf-?8$' || apt_needed+=(locales)
# The Python engine's tests run a real scikit-learn model in Debian's Python (PyPI is not reachable here).
/usr/bin/python3 -c 'import sklearn, pandas, cloudpickle, yaml' >/dev/null 2>&1 ||
  apt_needed+=(python3-sklearn python3-pandas python3-cloudpickle python3-yaml)
# The offline package test installs a built package with the real pip (--no-index, --require-hashes).
/usr/bin/python3 -m pip --version >/dev/null 2>&1 || apt_needed+=(python3-pip)
# The playground's "Copy as curl" is run by a real curl in its integration test.
command -v curl >/dev/null 2>&1 || apt_needed+=(curl)

if [ ${#apt_needed[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${apt_needed[*]} with apt-get"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${apt_needed[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages first (as root): ${apt_needed[*]}" >&2
    exit 3
  fi
fi

if ! locale -a 2>/dev/null | grep -qiE '^en_US\.utf-?8$'; then
  if [ "$(id -u)" = 0 ]; then
    sed -i 's/^# *en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' /etc/locale.gen 2>/dev/null || true
    grep -q '^en_US.UTF-8 UTF-8' /etc/locale.gen 2>/dev/null || echo 'en_US.UTF-8 UTF-8' >> /etc/locale.gen
    locale-gen >/dev/null
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # --loglevel=error: the only warnings npm prints here are Electron 45's engine field (Node >= 22.12), which
  # matters only for its binary download, skipped above; they look like a failure to a newcomer, so say it once.
  npm ci --no-audit --no-fund --loglevel=error
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)' ||
    echo "setup: npm packages installed. (Electron 45 asks for Node >= 22.12 for its own binary, which this setup skips; Preflight runs on Node $(node -v).)"
fi

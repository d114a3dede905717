#!/usr/bin/env bash
# Installs the moto server (a local AWS API emulator) into kubelab's cache, for the EKS
# integration tests. Idempotent: does nothing when the venv already has a working moto.
set -euo pipefail

MOTO_VERSION="${KUBELAB_MOTO_VERSION:-5.2.5}"
cache_dir="${KUBELAB_CACHE_DIR:-$HOME/.cache/kubelab}"
venv="$cache_dir/moto-venv"

installed_version() {
  "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("moto"))' 2>/dev/null
}

if [[ -x "$venv/bin/moto_server" ]] && version="$(installed_version)"; then
  echo "moto $version (already installed in $venv)"
  exit 0
fi

python="${PYTHON:-python3}"
if ! command -v "$python" >/dev/null 2>&1; then
  echo "setup-moto: $python not found; install Python 3.9+ to run the EKS integration tests" >&2
  exit 3
fi

mkdir -p "$cache_dir"
# A half-made venv from an interrupted run would fail the check above forever; start clean.
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
echo "moto $(installed_version) (installed in $venv)"

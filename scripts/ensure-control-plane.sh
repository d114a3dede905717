#!/usr/bin/env bash
# The control plane for the test suite: the prebuilt platform package when kubelab finds and
# verifies it (then no Go is needed), else the source build into ~/.cache/kubelab (a no-op when
# warm). Run after `npm run build`: it asks the built CLI, which holds the one verification.
set -euo pipefail
cd "$(dirname "$0")/.."
# doctor exits 3 while something is missing (the control plane itself, before its first build).
report=$(node bin/kubelab.js doctor --json || true)
source=$(printf '%s' "$report" | node -e '
  let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const plane = JSON.parse(s).checks.find((c) => c.id === "control-plane");
    process.stdout.write(plane && plane.state === "ok" && /^prebuilt /.test(plane.found ?? "") ? plane.found : "");
  });')
if [ -n "$source" ]; then
  echo "[ensure-control-plane] using the $source" >&2
else
  bash scripts/build-control-plane.sh >/dev/null
fi

#!/usr/bin/env bash
# Builds the local control plane that kubelab's "local" provider and its integration tests use:
# kube-apiserver, kube-controller-manager, kube-scheduler (k8s.io/kubernetes), etcd 3.5 and
# kwok/kwokctl, all from Go modules, into ~/.cache/kubelab/<k8s-version>/bin.
# Does nothing when the binaries are already there.
#
# KUBELAB_GOOS / KUBELAB_GOARCH cross-compile for another platform (the binaries are pure Go,
# CGO_ENABLED=0) into ~/.cache/kubelab/<k8s-version>/bin-<goos>-<goarch>: that is how
# scripts/platform-packages.mjs builds the prebuilt packages for macOS and arm64.
#
# Why one module and one `go build`: kwok v0.7.0 is written against k8s.io/* v0.33 and Kubernetes
# v1.33 itself requires etcd server v3.5.21, so all six commands resolve to ONE set of module
# versions. Every shared package (client-go, apimachinery, k8s.io/api, apiserver, grpc, otel…) is
# then compiled once instead of up to three times (measured: 3,403 package compiles before, 2,703
# now), and one invocation keeps both cores busy while the linker runs.
#
# Progress: a line per binary and a percentage on stderr. With --json, stdout carries one JSON
# object per line instead: `go build -json -v` events (one "build-output" event per package as it
# is compiled) plus kubelab-* events (plan, binary, done) that src/providers/control-plane-build.ts
# reads. Interrupting is safe: the next run resumes from the Go build cache.
set -euo pipefail

K8S_VERSION="${KUBELAB_K8S_VERSION:-v1.33.13}"
ETCD_VERSION="${KUBELAB_ETCD_VERSION:-v3.5.21}"
KWOK_VERSION="${KUBELAB_KWOK_VERSION:-v0.7.0}"
CACHE_ROOT="${KUBELAB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubelab}"
HOST_GOOS=$(go env GOOS 2>/dev/null || echo linux)
HOST_GOARCH=$(go env GOARCH 2>/dev/null || echo amd64)
TARGET_GOOS="${KUBELAB_GOOS:-$HOST_GOOS}"
TARGET_GOARCH="${KUBELAB_GOARCH:-$HOST_GOARCH}"
if [ "$TARGET_GOOS/$TARGET_GOARCH" = "$HOST_GOOS/$HOST_GOARCH" ]; then
  OUT="$CACHE_ROOT/$K8S_VERSION/bin"
  TARGET_SUFFIX=""
else
  OUT="$CACHE_ROOT/$K8S_VERSION/bin-$TARGET_GOOS-$TARGET_GOARCH"
  TARGET_SUFFIX="-$TARGET_GOOS-$TARGET_GOARCH"
fi
WORK="$CACHE_ROOT/$K8S_VERSION/src"
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok kwokctl)
# What bin/ holds did not change with the one-module build (the same six commands, the same
# versions), so a cache built by the earlier per-binary script stays valid: no rebuild for it.
VERSIONS="$K8S_VERSION $ETCD_VERSION $KWOK_VERSION"

JSON=0
[ "${1:-}" = "--json" ] && JSON=1

say() { printf '[build-control-plane] %s\n' "$*" >&2; }
# A kubelab event for --json readers; the values passed are numbers or plain words (no quoting needed).
event() { [ "$JSON" = 1 ] && printf '{"Action":"kubelab-%s"%s}\n' "$1" "${2:-}"; return 0; }
now() { printf '%(%s)T' -1; }

if ! command -v go >/dev/null 2>&1; then
  say "Go is not installed. Install Go 1.24 or newer (https://go.dev/doc/install), then run: npm run build:cluster"
  exit 3
fi

missing=()
for b in "${BINARIES[@]}"; do [ -x "$OUT/$b" ] || missing+=("$b"); done
if [ ${#missing[@]} -eq 0 ] && [ "$(cat "$OUT/.versions" 2>/dev/null)" = "$VERSIONS" ]; then
  say "control plane $K8S_VERSION already built in $OUT (warm: nothing to do; the cold build took $(cat "$OUT/.build-seconds" 2>/dev/null || echo '?') s)"
  event done ",\"Dir\":\"$OUT\",\"Seconds\":0"
  [ "$JSON" = 1 ] || echo "$OUT"
  exit 0
fi

mkdir -p "$OUT" "$WORK"
# One build per cache at a time (the app may build in the background while `cluster up` runs in
# another terminal): the second one waits, then finds the binaries there.
exec 9>"$CACHE_ROOT/$K8S_VERSION/.lock"
if ! flock -n 9; then
  say "another build of this control plane is running (pid $(cat "$CACHE_ROOT/$K8S_VERSION/.building" 2>/dev/null || echo '?')); waiting for it"
  event phase ',"Phase":"waiting"'
  flock 9
  exec "$0" "$@"
fi
start=$(now)
# Who is building, for `kubelab doctor` and the app (a stale file is told apart by the pid).
echo $$ > "$CACHE_ROOT/$K8S_VERSION/.building"
trap 'rm -f "$CACHE_ROOT/$K8S_VERSION/.building"' EXIT
export CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
export GOOS="$TARGET_GOOS" GOARCH="$TARGET_GOARCH"
# Linked binaries are renamed (not copied) into place when the temp dir is on the same disk, so a
# binary is either absent or complete.
export GOTMPDIR="$CACHE_ROOT/$K8S_VERSION/tmp$TARGET_SUFFIX"
mkdir -p "$GOTMPDIR"
say "cold build into $OUT (k8s $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION; $GOOS/$GOARCH)"

# --- one module for all six commands ------------------------------------------------------------
# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with ./staging paths,
# which a dependent module cannot see. The documented fix is to replace each k8s.io/<staging>
# with its published v0.<minor>.<patch> release of the same Kubernetes version; that pin also
# applies to kwok's k8s.io requirements, so kwok compiles against the control plane's packages.
mod="$WORK/control-plane"
staging_version="v0.${K8S_VERSION#v1.}"
PACKAGES=(
  "k8s.io/kubernetes/cmd/kube-apiserver"
  "k8s.io/kubernetes/cmd/kube-controller-manager"
  "k8s.io/kubernetes/cmd/kube-scheduler"
  "go.etcd.io/etcd/server/v3"
  "sigs.k8s.io/kwok/cmd/kwok"
  "sigs.k8s.io/kwok/cmd/kwokctl"
)
if [ "$(cat "$mod/.ready" 2>/dev/null)" != "$VERSIONS" ]; then
  event phase ',"Phase":"resolve"'
  say "resolving k8s.io/kubernetes@$K8S_VERSION, etcd $ETCD_VERSION and kwok $KWOK_VERSION into one module"
  rm -rf "$mod"; mkdir -p "$mod"
  gomod=$(cd "$mod" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  {
    echo "module kubelab.local/control-plane"
    echo
    echo "go 1.24.0"
    echo
    grep -oE '^\s*k8s.io/[a-z0-9-]+ => ./staging/src/k8s.io/[a-z0-9-]+' "$gomod" \
      | awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}'
  } > "$mod/go.mod"
  # Each package at its release (a bare package path would mean "latest").
  (cd "$mod" && go get "${PACKAGES[0]}@$K8S_VERSION" "${PACKAGES[1]}@$K8S_VERSION" "${PACKAGES[2]}@$K8S_VERSION" \
      "${PACKAGES[3]}@$ETCD_VERSION" "${PACKAGES[4]}@$KWOK_VERSION" "${PACKAGES[5]}@$KWOK_VERSION" >&2)
  echo "$VERSIONS" > "$mod/.ready"
fi

# --- compile and link ------------------------------------------------------------------------------
minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
k8s_ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  k8s_ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  k8s_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
# -dwarf=false: the binaries are linked with -w (no DWARF) anyway, so generating it in every
# compile is wasted work (measured on k8s.io/api/core/v1 and its deps: 15% less compiler CPU,
# a quarter less build cache). KUBELAB_GO_BUILD_FLAGS adds flags for experiments (-debug-trace=F).
# shellcheck disable=SC2206
BUILD_FLAGS=(-trimpath -gcflags=all=-dwarf=false ${KUBELAB_GO_BUILD_FLAGS:-}
  -ldflags "k8s.io/kubernetes/cmd/...=$k8s_ldflags"
  -ldflags "sigs.k8s.io/kwok/cmd/...=-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION"
  -ldflags "go.etcd.io/etcd/server/v3=-s -w")

# The packages still to compile (not already in the Go build cache): the denominator of progress.
cd "$mod"
plan=$(go list -deps "${BUILD_FLAGS[@]}" -f '{{if and .Stale (ne .ImportPath "unsafe")}}s{{end}}' "${PACKAGES[@]}" | grep -c s || true)
all=$(go list -deps "${PACKAGES[@]}" | grep -vc '^unsafe$' || true)
event plan ",\"Total\":$plan,\"All\":$all,\"Cores\":$(nproc)"
event phase ',"Phase":"compile"'
say "compiling $plan of $all packages (the rest are in the Go build cache), then linking ${BINARIES[*]}"

partial="$CACHE_ROOT/$K8S_VERSION/partial$TARGET_SUFFIX"
rm -rf "$partial"; mkdir -p "$partial"
# Go names the etcd binary after its package path: .../server/v3 -> "server".
landed_name() { case "$1" in server) echo etcd ;; *) echo "$1" ;; esac; }
landed=()
report_landed() {
  local f name
  for f in "$partial"/*; do
    [ -e "$f" ] || continue
    name=$(landed_name "$(basename "$f")")
    case " ${landed[*]:-} " in *" $name "*) continue ;; esac
    landed+=("$name")
    echo "$name $(( $(now) - start ))" >> "$GOTMPDIR/landed"
    say "$name linked (${#landed[@]} of ${#BINARIES[@]}) after $(( $(now) - start )) s"
    event binary ",\"Binary\":\"$name\",\"Seconds\":$(( $(now) - start ))"
  done
}

compiled=0; last_pct=-1; last_say=$(now)
set +e
go build -json -v "${BUILD_FLAGS[@]}" -o "$partial" "${PACKAGES[@]}" | {
  # A read that times out still lets us notice binaries landing while the linker is running.
  while true; do
    if IFS= read -r -t 5 line; then
      [ "$JSON" = 1 ] && printf '%s\n' "$line"
      case "$line" in
        *'"Action":"build-output"'*)
          # One event per compiled package, whose Output is exactly its import path.
          if [[ "$line" =~ \"ImportPath\":\"([^\"]+)\",\"Action\":\"build-output\",\"Output\":\"([^\"]+)\\n\"\}$ ]] \
            && [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]; then
            compiled=$((compiled + 1))
          else
            # Compiler output (an error): show it as go would.
            out="${line#*\"Output\":\"}"; out="${out%\"\}}"; printf '%b' "$out" >&2
          fi ;;
      esac
      pct=$(( plan > 0 ? compiled * 100 / plan : 100 )); [ $pct -gt 100 ] && pct=100
      if [ "$JSON" = 0 ] && { [ $((pct / 5)) -gt $((last_pct / 5)) ] || [ $(( $(now) - last_say )) -ge 30 ]; }; then
        say "compiled $compiled of $plan packages ($pct%), $(( $(now) - start )) s elapsed"
        last_pct=$pct; last_say=$(now)
      fi
    else
      [ $? -gt 128 ] || break   # >128: timed out, go is still running; otherwise end of output
    fi
    report_landed
  done
  report_landed
  echo "$compiled" > "$GOTMPDIR/compiled"
}
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ]; then
  say "go build failed (exit $rc); what was compiled stays in the Go build cache"
  exit "$rc"
fi

for b in "${BINARIES[@]}"; do
  src="$partial/$b"; [ "$b" = etcd ] && src="$partial/server"
  mv -f "$src" "$OUT/$b"
done
seconds=$(( $(now) - start ))
echo "$VERSIONS" > "$OUT/.versions"
# The estimate for the next machine: total seconds, the cores they were measured on, and how many
# packages were compiled (fewer when the Go build cache was warm).
echo "$seconds" > "$OUT/.build-seconds"
# Per binary: seconds from the start until it was linked (they build together, so these overlap).
binaries=$(awk '{printf "%s\"%s\":%s", (NR > 1 ? "," : ""), $1, $2}' "$GOTMPDIR/landed" 2>/dev/null || true)
printf '{"seconds":%s,"cores":%s,"compiled":%s,"all":%s,"linkedAt":{%s}}\n' "$seconds" "$(nproc)" "$(cat "$GOTMPDIR/compiled")" "$all" "$binaries" > "$OUT/.build-profile.json"
rm -rf "$partial" "$GOTMPDIR"
say "cold build finished in $seconds s"
event done ",\"Dir\":\"$OUT\",\"Seconds\":$seconds"
[ "$JSON" = 1 ] || echo "$OUT"

#!/usr/bin/env bash
# Builds the local control plane that kubelab's "local" provider and its integration tests use:
# kube-apiserver, kube-controller-manager, kube-scheduler (k8s.io/kubernetes), etcd 3.5 and
# kwok/kwokctl, all from Go modules, into ~/.cache/kubelab/<k8s-version>/bin.
# Does nothing when the binaries are already there. Progress goes to stderr.
set -euo pipefail

K8S_VERSION="${KUBELAB_K8S_VERSION:-v1.33.13}"
ETCD_VERSION="${KUBELAB_ETCD_VERSION:-v3.5.21}"
KWOK_VERSION="${KUBELAB_KWOK_VERSION:-v0.7.0}"
CACHE_ROOT="${KUBELAB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kubelab}"
OUT="$CACHE_ROOT/$K8S_VERSION/bin"
WORK="$CACHE_ROOT/$K8S_VERSION/src"
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok kwokctl)

say() { printf '[build-control-plane] %s\n' "$*" >&2; }
now() { date +%s; }

if ! command -v go >/dev/null 2>&1; then
  say "Go is not installed. Install Go 1.24 or newer (https://go.dev/doc/install), then run: npm run build:cluster"
  exit 3
fi

missing=()
for b in "${BINARIES[@]}"; do [ -x "$OUT/$b" ] || missing+=("$b"); done
if [ ${#missing[@]} -eq 0 ] && [ "$(cat "$OUT/.versions" 2>/dev/null)" = "$K8S_VERSION $ETCD_VERSION $KWOK_VERSION" ]; then
  say "control plane $K8S_VERSION already built in $OUT (warm: nothing to do; the cold build took $(cat "$OUT/.build-seconds" 2>/dev/null || echo '?') s)"
  echo "$OUT"
  exit 0
fi

start=$(now)
mkdir -p "$OUT" "$WORK"
export CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
say "cold build into $OUT (k8s $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION); this takes many minutes"

# --- kube-apiserver, kube-controller-manager, kube-scheduler ------------------------------------
# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with ./staging paths,
# which a dependent module cannot see. The documented fix is to replace each k8s.io/<staging>
# with its published v0.<minor>.<patch> release of the same Kubernetes version.
k8s_mod="$WORK/kubernetes"
mkdir -p "$k8s_mod"
staging_version="v0.${K8S_VERSION#v1.}"
if [ ! -f "$k8s_mod/.ready" ]; then
  say "resolving k8s.io/kubernetes@$K8S_VERSION and its staging modules"
  gomod=$(cd "$k8s_mod" && go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  {
    echo "module kubelab.local/control-plane"
    echo
    echo "go 1.24"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    grep -oE '^\s*k8s.io/[a-z0-9-]+ => ./staging/src/k8s.io/[a-z0-9-]+' "$gomod" \
      | awk -v v="$staging_version" '{print "replace " $1 " => " $1 " " v}'
  } > "$k8s_mod/go.mod"
  (cd "$k8s_mod" && go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" \
      "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S_VERSION" \
      "k8s.io/kubernetes/cmd/kube-scheduler@$K8S_VERSION" >&2)
  touch "$k8s_mod/.ready"
fi
minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
for b in kube-apiserver kube-controller-manager kube-scheduler; do
  if [ ! -x "$OUT/$b" ]; then
    t=$(now); say "compiling $b (the first one takes longest)"
    (cd "$k8s_mod" && go build -trimpath -ldflags "$ldflags" -o "$OUT/$b.tmp" "k8s.io/kubernetes/cmd/$b")
    mv "$OUT/$b.tmp" "$OUT/$b"; say "$b built in $(( $(now) - t )) s"
  fi
done

# --- etcd -------------------------------------------------------------------------------------
# go.etcd.io/etcd/server/v3's own go.mod has replace directives, so `go install` refuses it;
# a wrapper module that requires it resolves its siblings by their published versions.
if [ ! -x "$OUT/etcd" ]; then
  t=$(now); say "compiling etcd $ETCD_VERSION"
  etcd_mod="$WORK/etcd"; mkdir -p "$etcd_mod"
  printf 'module kubelab.local/etcd\n\ngo 1.23\n' > "$etcd_mod/go.mod"
  (cd "$etcd_mod" && go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2 \
    && go build -trimpath -ldflags "-s -w" -o "$OUT/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$OUT/etcd.tmp" "$OUT/etcd"; say "etcd built in $(( $(now) - t )) s"
fi

# --- kwok, kwokctl ------------------------------------------------------------------------------
for b in kwok kwokctl; do
  if [ ! -x "$OUT/$b" ]; then
    t=$(now); say "installing $b $KWOK_VERSION"
    GOBIN="$OUT" go install -trimpath -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/$b@$KWOK_VERSION"
    say "$b built in $(( $(now) - t )) s"
  fi
done

echo "$K8S_VERSION $ETCD_VERSION $KWOK_VERSION" > "$OUT/.versions"
echo "$(( $(now) - start ))" > "$OUT/.build-seconds"
say "cold build finished in $(( $(now) - start )) s"
echo "$OUT"

#!/usr/bin/env bash
# Installs the pinned Helm CLI into <repo>/.tools/bin/helm (idempotent).
#
#   scripts/install-helm.sh            # install if missing or wrong version
#   HELM_VERSION=v3.22.0 scripts/install-helm.sh
#
# Helm is built from source with the Go toolchain through the Go module proxy
# (no Docker, no binary download). The first build takes a few minutes; later
# runs return at once when .tools/bin/helm already reports the pinned version.
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.22.0}"

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(git -C "$script_dir" rev-parse --show-toplevel 2>/dev/null || (cd "$script_dir/.." && pwd))"
bin_dir="$repo_root/.tools/bin"
helm_bin="$bin_dir/helm"

installed_version() {
    # `helm version --template` prints e.g. v3.22.0; empty when absent/broken.
    if [[ -x "$helm_bin" ]]; then
        "$helm_bin" version --template '{{ .Version }}' 2>/dev/null || true
    fi
}

# Stamp written after a complete install: the version plus the build recipe (its
# ldflags), so that a helm built by an older version of this script is rebuilt.
BUILD_RECIPE=2
stamp="$bin_dir/.helm.stamp"
want_stamp="$HELM_VERSION recipe=$BUILD_RECIPE"

current="$(installed_version)"
if [[ "$current" == "$HELM_VERSION" && -f "$stamp" && "$(cat "$stamp")" == "$want_stamp" ]]; then
    echo "helm $HELM_VERSION already installed at $helm_bin"
    exit 0
fi

go_bin="${GO:-}"
if [[ -z "$go_bin" ]]; then
    if command -v go >/dev/null 2>&1; then
        go_bin="$(command -v go)"
    elif [[ -x /usr/local/go/bin/go ]]; then
        go_bin=/usr/local/go/bin/go
    else
        echo "install-helm: the Go toolchain is required (go not on PATH, /usr/local/go/bin/go absent)" >&2
        exit 1
    fi
fi

mkdir -p "$bin_dir"
echo "installing helm $HELM_VERSION into $bin_dir (was: ${current:-absent}) with $go_bin"

# Helm's own Makefile stamps, with -ldflags, the version and the default Kubernetes
# version that `helm template`/`helm lint` assume (from the client-go it is built
# with; without it Helm assumes v1.20). `go install` does not run that Makefile, so
# the same values are computed here from the module's go.mod.
gomod="$("$go_bin" mod download -json "helm.sh/helm/v3@$HELM_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
if [[ -z "$gomod" || ! -f "$gomod" ]]; then
    echo "install-helm: could not download helm.sh/helm/v3@$HELM_VERSION" >&2
    exit 1
fi
client_go="$(awk '$1 == "k8s.io/client-go" { print $2; exit }' "$gomod")"   # e.g. v0.37.0
if [[ ! "$client_go" =~ ^v0\.([0-9]+)\. ]]; then
    echo "install-helm: unexpected k8s.io/client-go version '$client_go' in $gomod" >&2
    exit 1
fi
k8s_minor="${BASH_REMATCH[1]}"
ldflags="-s -w"
ldflags+=" -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
ldflags+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1"
ldflags+=" -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$k8s_minor"
ldflags+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1"
ldflags+=" -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$k8s_minor"

# CGO off: a static binary that does not depend on the host's C toolchain.
rm -f "$stamp"
CGO_ENABLED=0 GOBIN="$bin_dir" "$go_bin" install -trimpath -ldflags "$ldflags" \
    "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"

got="$(installed_version)"
if [[ "$got" != "$HELM_VERSION" ]]; then
    echo "install-helm: installed helm reports '${got}', expected '$HELM_VERSION'" >&2
    exit 1
fi
echo "$want_stamp" > "$stamp"
echo "helm $got (default Kubernetes v1.$k8s_minor) installed at $helm_bin"

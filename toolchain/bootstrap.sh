#!/usr/bin/env bash
# Build the real toolchain the end-to-end tests run, from the Go module proxy.
#
#   toolchain/bootstrap.sh                      build what is missing, then check versions
#   toolchain/bootstrap.sh --bin-dir            print the bin dir (no build)
#   toolchain/bootstrap.sh --polyglot-dir       print the package tools' dir (no build)
#   toolchain/bootstrap.sh --check              only check the binaries' versions
#
# Versions come from toolchain/versions.env and nowhere else. Binaries land in
# ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-flink/tools/<key>/bin, where <key> is a
# short hash of the pins in versions.env, so changing a pin builds a fresh set and an
# unchanged one is reused (a second run takes seconds). Tools are built one
# after another: a cold build took 40 minutes on two cores (measured), a warm
# run (everything present) about a second.
#
# Every build goes through a throw-away "wrapper" Go module that requires the
# upstream module at an exact version: upstream go.mod files carry replace
# lines pointing at sibling folders, which `go install pkg@version` refuses.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSIONS_FILE="$HERE/versions.env"
# shellcheck source=versions.env
. "$VERSIONS_FILE"

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-flink"
# Only the KEY=VALUE lines count: editing a comment must not cost a rebuild.
KEY="$(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$VERSIONS_FILE" | sha256sum | cut -c1-12)"
TOOLS_DIR="$CACHE_ROOT/tools/$KEY"
BIN_DIR="$TOOLS_DIR/bin"
SHARE_DIR="$TOOLS_DIR/share"
WORK_DIR="$CACHE_ROOT/work/$KEY"

# What the pulumi-flink package needs beyond the core (Pulumi YAML, SDK
# generation and compilation): pinned in polyglot.env, cached apart under its
# own key, so that its pins never rebuild the core toolchain.
POLYGLOT_FILE="$HERE/polyglot.env"
# shellcheck source=polyglot.env
. "$POLYGLOT_FILE"
SDKGEN_DIR="$HERE/sdkgen"
POLYGLOT_KEY="$({
    grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$POLYGLOT_FILE"
    echo "PULUMI_VERSION=$PULUMI_VERSION"
    cat "$SDKGEN_DIR/go.mod" "$SDKGEN_DIR/go.sum" "$SDKGEN_DIR/main.go"
} | sha256sum | cut -c1-12)"
POLYGLOT_DIR="$CACHE_ROOT/polyglot/$POLYGLOT_KEY"

usage() {
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
}

mode=build
case "${1:-}" in
    --bin-dir) echo "$BIN_DIR"; exit 0 ;;
    --polyglot-dir) echo "$POLYGLOT_DIR"; exit 0 ;;
    --check) mode=check ;;
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) echo "bootstrap.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
esac

# --- Go environment: one shared module and build cache for every tool --------
export GOMODCACHE="$CACHE_ROOT/go/mod"
export GOCACHE="$CACHE_ROOT/go/build"
export CGO_ENABLED=0
export GOFLAGS="-mod=mod -buildvcs=false"
# Never fetch another Go toolchain behind our back: the modules pinned here
# need go >= 1.26, which the machine has.
export GOTOOLCHAIN=local

START_ALL=$SECONDS
current_step=""

fail() {
    echo >&2
    echo "bootstrap.sh: FAILED${current_step:+ while building $current_step}: $*" >&2
    echo "  What to do: read the output above (the last 'go' error names the module" >&2
    echo "  or package at fault). A refused download (403) means the Go module proxy" >&2
    echo "  does not serve that version: change the pin in toolchain/versions.env." >&2
    echo "  Re-running this script resumes; finished tools are kept in $BIN_DIR." >&2
    exit "$REPORTED_FAILURE"
}
# A failure inside $(...) is reported there; its exit code tells the trap of
# the enclosing shell not to report it a second time.
REPORTED_FAILURE=3
trap 'rc=$?; [ "$rc" = "$REPORTED_FAILURE" ] && exit "$rc"; fail "command failed (line $LINENO): $BASH_COMMAND"' ERR

progress() {
    printf '[bootstrap %4dm%02ds] %s\n' $(((SECONDS - START_ALL) / 60)) $(((SECONDS - START_ALL) % 60)) "$*"
}

require_go() {
    command -v go >/dev/null || fail "no 'go' on PATH: install Go >= 1.26 (Debian: golang-go from backports, or the Go toolchain)"
    local have
    have="$(go env GOVERSION | sed 's/^go//')"
    if [ "$(printf '%s\n%s\n' "1.26" "$have" | sort -V | head -n1)" != "1.26" ]; then
        fail "Go $have is too old: these modules need Go >= 1.26"
    fi
}

# print_module_replaces GOMOD_FILE
#   The replace lines of an upstream go.mod that point at other modules (not
#   at local folders), as "old => new version" lines for a wrapper go.mod.
print_module_replaces() {
    go mod edit -json "$1" | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Replace") or []:
    new = r["New"]
    if new.get("Version"):
        old = r["Old"]["Path"] + (" " + r["Old"]["Version"] if r["Old"].get("Version") else "")
        print("\t%s => %s %s" % (old, new["Path"], new["Version"]))
'
}

# print_local_replaced_modules GOMOD_FILE
#   The module paths an upstream go.mod replaces with local folders.
print_local_replaced_modules() {
    go mod edit -json "$1" | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("Replace") or []:
    if not r["New"].get("Version"):
        print(r["Old"]["Path"])
'
}

# module_dir MODULE VERSION: download a module and print its (read-only) folder.
module_dir() {
    go mod download -json "$1@$2" | python3 -c '
import json, sys
d = json.load(sys.stdin)
if d.get("Error"):
    sys.exit("go mod download %s@%s: %s" % (d["Path"], d["Version"], d["Error"]))
print(d["Dir"])
' || fail "cannot download $1@$2 from the Go module proxy"
}

# write_wrapper NAME REQUIRES REPLACES: create the wrapper module WORK_DIR/NAME
#   REQUIRES and REPLACES are newline-separated "path version" / "old => new"
#   lines. Prints the wrapper folder.
write_wrapper() {
    local name="$1" requires="$2" replaces="$3" dir="$WORK_DIR/$1"
    mkdir -p "$dir"
    {
        echo "// Generated by toolchain/bootstrap.sh: a throw-away module to build $name."
        echo "module pulumi-flink.invalid/toolchain/$name"
        echo
        echo "go 1.26"
        echo
        echo "require ("
        printf '%s\n' "$requires" | sed '/^$/d; s/^/\t/'
        echo ")"
        if [ -n "$replaces" ]; then
            echo
            echo "replace ("
            printf '%s\n' "$replaces" | sed '/^$/d; s/^[[:space:]]*/\t/'
            echo ")"
        fi
    } >"$dir/go.mod"
    echo "$dir"
}

# go_build WRAPPER_DIR OUTPUT_NAME MAIN_PACKAGE LDFLAGS
#   Builds into a temporary name and renames at the end, so an interrupted
#   build never leaves a binary that looks finished.
go_build() {
    local dir="$1" out="$2" pkg="$3" ldflags="$4"
    (
        cd "$dir"
        go build -trimpath -pgo=off -ldflags "-s -w $ldflags" -o "$BIN_DIR/.$out.partial" "$pkg"
    ) || fail "go build $pkg failed"
    mv -f "$BIN_DIR/.$out.partial" "$BIN_DIR/$out"
}

# step NAME COMMAND...: run COMMAND unless BIN_DIR/NAME exists, timing it.
step() {
    local name="$1"; shift
    if [ -x "$BIN_DIR/$name" ]; then
        progress "$name: present, skipped"
        return 0
    fi
    current_step="$name"
    local t0=$SECONDS
    progress "$name: building ..."
    "$@"
    progress "$name: built in $(((SECONDS - t0) / 60))m$(((SECONDS - t0) % 60))s"
    current_step=""
}

# --- Kubernetes control plane --------------------------------------------------
k8s_wrapper() {
    local v="$KUBERNETES_VERSION" staging replaces="" m
    local upstream
    upstream="$(module_dir k8s.io/kubernetes "v$v")/go.mod"
    # k8s.io/kubernetes requires every staging module at v0.0.0 and replaces
    # it with a folder; take the published v0.<minor>.<patch> instead.
    staging="v0.${v#*.}"
    while read -r m; do
        replaces+="$m => $m $staging"$'\n'
    done < <(print_local_replaced_modules "$upstream")
    replaces+="$(print_module_replaces "$upstream")"
    write_wrapper kubernetes "k8s.io/kubernetes v$v" "$replaces"
}

k8s_ldflags() {
    local v="$KUBERNETES_VERSION" major minor flags="" p
    major="${v%%.*}"; minor="${v#*.}"; minor="${minor%%.*}"
    # An unstamped kube-apiserver reports v0.0.0-master, and pulumi-kubernetes
    # then treats the cluster as version 0.0.
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        flags+=" -X $p.gitVersion=v$v -X $p.gitMajor=$major -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
    done
    echo "$flags"
}

build_k8s() {
    local dir
    dir="$(k8s_wrapper)"
    go_build "$dir" "$1" "k8s.io/kubernetes/cmd/$1" "$(k8s_ldflags)"
}

# --- etcd ------------------------------------------------------------------------
build_etcd() {
    local v="v$ETCD_VERSION" dir upstream
    upstream="$(module_dir go.etcd.io/etcd/server/v3 "$v")/go.mod"
    # server/v3 replaces its siblings with folders; require them at the same
    # version instead (a wrapper ignores a dependency's replace lines).
    dir="$(write_wrapper etcd "go.etcd.io/etcd/server/v3 $v
go.etcd.io/etcd/api/v3 $v
go.etcd.io/etcd/client/pkg/v3 $v
go.etcd.io/etcd/client/v3 $v
go.etcd.io/etcd/pkg/v3 $v" "$(print_module_replaces "$upstream")")"
    go_build "$dir" etcd go.etcd.io/etcd/server/v3 ""
}

# --- kwok ------------------------------------------------------------------------
build_kwok() {
    local v="v$KWOK_VERSION" dir upstream
    upstream="$(module_dir sigs.k8s.io/kwok "$v")/go.mod"
    dir="$(write_wrapper kwok "sigs.k8s.io/kwok $v" "$(print_module_replaces "$upstream")")"
    go_build "$dir" kwok sigs.k8s.io/kwok/cmd/kwok ""
}

install_kwok_stages() {
    local src
    src="$(module_dir sigs.k8s.io/kwok "v$KWOK_VERSION")/kustomize/stage"
    if [ ! -d "$SHARE_DIR/kwok/stage" ]; then
        mkdir -p "$SHARE_DIR/kwok"
        rm -rf "$SHARE_DIR/kwok/.stage.partial"
        cp -r "$src" "$SHARE_DIR/kwok/.stage.partial"
        chmod -R u+w "$SHARE_DIR/kwok/.stage.partial"
        mv "$SHARE_DIR/kwok/.stage.partial" "$SHARE_DIR/kwok/stage"
        progress "kwok stages: copied to $SHARE_DIR/kwok/stage"
    fi
}

# --- Pulumi CLI and its Python pieces --------------------------------------------
# Not built: the upstream Python language host. Its module
# (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3) is refused
# by the Go module proxy at every version; toolchain/pulumi-language-python
# stands in (installed at the end of main). Automation API inline programs need
# neither (the Python SDK serves the language runtime itself).
build_pulumi() {
    local v="v$PULUMI_VERSION" dir upstream
    upstream="$(module_dir github.com/pulumi/pulumi/pkg/v3 "$v")/go.mod"
    dir="$(write_wrapper pulumi "github.com/pulumi/pulumi/pkg/v3 $v
github.com/pulumi/pulumi/sdk/v3 $v" "$(print_module_replaces "$upstream")")"
    # An unstamped CLI prints an empty version and the Automation API refuses it.
    go_build "$dir" pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
        "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$v"
}

# The dynamic-provider launcher and the Python executor script ship as plain
# files in the sdk/v3 module download; the CLI looks for them beside itself.
install_pulumi_python_scripts() {
    local sdk
    sdk="$(module_dir github.com/pulumi/pulumi/sdk/v3 "v$PULUMI_VERSION")"
    install -m 0755 "$sdk/python/dist/pulumi-resource-pulumi-python" "$BIN_DIR/pulumi-resource-pulumi-python"
    install -m 0755 "$sdk/python/cmd/pulumi-language-python-exec" "$BIN_DIR/pulumi-language-python-exec"
}

# --- pulumi-resource-kubernetes ---------------------------------------------------
build_pulumi_kubernetes() {
    local mv="$PULUMI_KUBERNETES_PROVIDER_MODULE_VERSION" src copy dir upstream
    src="$(module_dir github.com/pulumi/pulumi-kubernetes/provider/v4 "$mv")"
    upstream="$src/go.mod"
    # The provider embeds schema-embed.json and terraform-mapping-embed.json,
    # which its generate.go derives from schema.json (stamping the version)
    # and which the module download lacks: generate them in a writable copy.
    copy="$WORK_DIR/pulumi-kubernetes-provider-src"
    rm -rf "$copy"
    cp -r "$src" "$copy"
    chmod -R u+w "$copy"
    (
        cd "$copy/cmd/pulumi-resource-kubernetes"
        VERSION="$PULUMI_KUBERNETES_VERSION" python3 -c '
import json, os
# Same output as the module'"'"'s generate.go: the schema with its version set,
# and both files re-serialised compactly.
with open("schema.json") as f:
    schema = json.load(f)
schema["version"] = os.environ["VERSION"]
with open("schema-embed.json", "w") as f:
    json.dump(schema, f, separators=(",", ":"))
with open("terraform-mapping.json") as f:
    mapping = json.load(f)
with open("terraform-mapping-embed.json", "w") as f:
    json.dump(mapping, f, separators=(",", ":"))
'
    )
    # The provider requires sdk/v4 and replaces it with a folder: take the
    # published sdk/v4 of the release instead.
    dir="$(write_wrapper pulumi-kubernetes "github.com/pulumi/pulumi-kubernetes/provider/v4 $mv
github.com/pulumi/pulumi-kubernetes/sdk/v4 v$PULUMI_KUBERNETES_VERSION" "github.com/pulumi/pulumi-kubernetes/provider/v4 => $copy
$(print_module_replaces "$upstream")")"
    go_build "$dir" pulumi-resource-kubernetes \
        github.com/pulumi/pulumi-kubernetes/provider/v4/cmd/pulumi-resource-kubernetes \
        "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$PULUMI_KUBERNETES_VERSION"
}

# --- the package's tools: Pulumi YAML host, SDK generator, TypeScript ---------------
# Built with the same Go module and build caches as the core tools, after
# them: pulumi-yaml needs pulumi 3.206's dependencies (new downloads), the
# generator shares almost everything with the CLI build.

# pulumi-yaml's go.mod has no replace lines: build it where it is, with its
# own go.mod and go.sum (read-only, so nothing in the module cache changes).
build_pulumi_yaml() {
    local v="v$PULUMI_YAML_VERSION" src
    src="$(module_dir github.com/pulumi/pulumi-yaml "$v")"
    (
        cd "$src"
        GOFLAGS="-mod=readonly -buildvcs=false" go build -trimpath -pgo=off \
            -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=$v" \
            -o "$BIN_DIR/.pulumi-language-yaml.partial" ./cmd/pulumi-language-yaml
    ) || fail "go build of pulumi-language-yaml $v failed"
    mv -f "$BIN_DIR/.pulumi-language-yaml.partial" "$BIN_DIR/pulumi-language-yaml"
}

build_sdkgen() {
    (
        cd "$SDKGEN_DIR"
        GOFLAGS="-mod=readonly -buildvcs=false" go build -trimpath -pgo=off -ldflags "-s -w" \
            -o "$BIN_DIR/.pulumi-flink-sdkgen.partial" .
    ) || fail "go build of toolchain/sdkgen failed (after changing its go.mod: cd toolchain/sdkgen && go mod tidy)"
    mv -f "$BIN_DIR/.pulumi-flink-sdkgen.partial" "$BIN_DIR/pulumi-flink-sdkgen"
}

install_node_modules() {
    local prefix="$POLYGLOT_DIR/node"
    [ -f "$prefix/.complete" ] && { progress "node modules: present, skipped"; return 0; }
    command -v npm >/dev/null || fail "no 'npm' on PATH: install Node.js 20 with npm"
    local t0=$SECONDS
    progress "node modules: typescript@$TYPESCRIPT_VERSION @types/node@$NODE_TYPES_VERSION @pulumi/pulumi@$PULUMI_VERSION ..."
    rm -rf "$prefix"
    mkdir -p "$prefix"
    echo '{"private": true}' >"$prefix/package.json"
    npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error --save-exact \
        "typescript@$TYPESCRIPT_VERSION" "@types/node@$NODE_TYPES_VERSION" "@pulumi/pulumi@$PULUMI_VERSION" \
        || fail "npm install of the TypeScript check's packages failed"
    touch "$prefix/.complete"
    progress "node modules: installed in $(((SECONDS - t0) / 60))m$(((SECONDS - t0) % 60))s"
}

build_polyglot() {
    mkdir -p "$POLYGLOT_DIR/bin"
    exec 8>"$POLYGLOT_DIR/.lock"
    flock 8
    progress "package tools key $POLYGLOT_KEY ($POLYGLOT_FILE, toolchain/sdkgen), dir $POLYGLOT_DIR"
    local core_bin="$BIN_DIR"
    BIN_DIR="$POLYGLOT_DIR/bin"
    step pulumi-language-yaml build_pulumi_yaml
    step pulumi-flink-sdkgen build_sdkgen
    install_node_modules
    BIN_DIR="$core_bin"
}

# --- version checks ---------------------------------------------------------------
check_versions() {
    local bad=0 out bin="$BIN_DIR"
    # expect NAME WANT COMMAND...: $bin/NAME exists and COMMAND prints WANT.
    expect() {
        local name="$1" want="$2"; shift 2
        if [ ! -x "$bin/$name" ]; then
            echo "  MISSING $name" >&2; bad=1; return
        fi
        out="$("$@" 2>&1 | head -n 5 || true)"
        if grep -qF -- "$want" <<<"$out"; then
            printf '  ok      %-30s %s\n' "$name" "$(head -n1 <<<"$out")"
        else
            printf '  WRONG   %-30s wanted %s, got: %s\n' "$name" "$want" "$(tr '\n' ' ' <<<"$out")" >&2
            bad=1
        fi
    }
    progress "checking versions in $BIN_DIR"
    expect pulumi "v$PULUMI_VERSION" "$BIN_DIR/pulumi" version
    # The provider has no --version flag (it reports its version over gRPC);
    # check the version stamped into its embedded schema instead.
    expect pulumi-resource-kubernetes "\"version\":\"$PULUMI_KUBERNETES_VERSION\"" \
        grep -a -o -m1 "\"version\":\"$PULUMI_KUBERNETES_VERSION\"" "$BIN_DIR/pulumi-resource-kubernetes"
    expect kube-apiserver "v$KUBERNETES_VERSION" "$BIN_DIR/kube-apiserver" --version
    expect kube-controller-manager "v$KUBERNETES_VERSION" "$BIN_DIR/kube-controller-manager" --version
    expect kube-scheduler "v$KUBERNETES_VERSION" "$BIN_DIR/kube-scheduler" --version
    expect kubectl "v$KUBERNETES_VERSION" "$BIN_DIR/kubectl" version --client
    expect etcd "$ETCD_VERSION" "$BIN_DIR/etcd" --version
    expect kwok "$KWOK_VERSION" "$BIN_DIR/kwok" --version
    for f in pulumi-resource-pulumi-python pulumi-language-python-exec pulumi-language-python; do
        if [ -x "$BIN_DIR/$f" ]; then printf '  ok      %s\n' "$f"; else echo "  MISSING $f" >&2; bad=1; fi
    done
    [ -d "$SHARE_DIR/kwok/stage" ] || { echo "  MISSING $SHARE_DIR/kwok/stage" >&2; bad=1; }
    bin="$POLYGLOT_DIR/bin"
    expect pulumi-language-yaml "v$PULUMI_YAML_VERSION" \
        grep -a -o -m1 "v$PULUMI_YAML_VERSION" "$bin/pulumi-language-yaml"
    expect pulumi-flink-sdkgen "usage: pulumi-flink-sdkgen" "$bin/pulumi-flink-sdkgen"
    bin="$POLYGLOT_DIR/node/node_modules/.bin"
    expect tsc "Version $TYPESCRIPT_VERSION" "$bin/tsc" --version
    if [ "$bad" != 0 ]; then
        current_step=""
        fail "some tools are missing or report the wrong version: run toolchain/bootstrap.sh (without --check) to (re)build them"
    fi
    progress "all tools ok: $BIN_DIR"
}

main() {
    if [ "$mode" = check ]; then
        check_versions
        return
    fi
    require_go
    command -v python3 >/dev/null || fail "python3 is needed to parse go.mod files"
    mkdir -p "$BIN_DIR" "$SHARE_DIR" "$WORK_DIR" "$GOMODCACHE" "$GOCACHE"
    # One bootstrap at a time per cache key (a developer and a test run may
    # both ask for it).
    exec 9>"$TOOLS_DIR/.lock"
    flock 9
    progress "toolchain key $KEY ($VERSIONS_FILE), bin dir $BIN_DIR"
    cp "$VERSIONS_FILE" "$TOOLS_DIR/versions.env"

    step kube-apiserver build_k8s kube-apiserver
    step kube-controller-manager build_k8s kube-controller-manager
    step kube-scheduler build_k8s kube-scheduler
    step kubectl build_k8s kubectl
    step etcd build_etcd
    step kwok build_kwok
    install_kwok_stages
    step pulumi build_pulumi
    step pulumi-resource-pulumi-python install_pulumi_python_scripts
    step pulumi-language-python-exec install_pulumi_python_scripts
    step pulumi-resource-kubernetes build_pulumi_kubernetes
    # The upstream Python language host is a Go module the proxy does not
    # serve; ours speaks the same protocol (see its docstring). Always copied,
    # so an edit in the repo takes effect.
    install -m 0755 "$HERE/pulumi-language-python" "$BIN_DIR/pulumi-language-python"
    build_polyglot
    progress "build done in $(((SECONDS - START_ALL) / 60))m$(((SECONDS - START_ALL) % 60))s"
    check_versions
    # Real Flink for the dev cluster's process runner: its own pins
    # (flink.env) and cache key, so a Flink pin never rebuilds the above.
    "$HERE/flink.sh"
}

main

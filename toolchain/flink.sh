#!/usr/bin/env bash
# Fetch the real Flink distributions the dev cluster's process runner starts,
# and compile pulumi-flink's test job against each (issue 17).
#
#   toolchain/flink.sh          fetch what is missing (a second run takes a second)
#   toolchain/flink.sh --dir    print the cache dir (no fetch)
#   toolchain/flink.sh --jobs-dir  print the test jobs' dir (no fetch)
#
# Versions come from toolchain/flink.env and nowhere else. Everything lands in
# ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-flink/flink/<key>, where <key> is a
# short hash of the pins in flink.env (not versions.env: the Go toolchain's
# cache is untouched by a Flink pin):
#   flink-<version>/      lib/ opt/ plugins/ bin/bash-java-utils.jar, empty usrlib/
#   jobs/<src>/<version>/counter-job.jar   toolchain/flink-job/CounterJob.java compiled,
#                         <src> a hash of the source (an edit recompiles, nothing is refetched)
# Needs python3 (pip fetches the PyPI sdist `apache-flink-libraries`) and a
# JDK >= 11 (javac, jar). Cold: about 35 s per version on a fast link
# (230-310 MB each, unpacked 240-330 MB; the download is deleted).
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PINS="$HERE/flink.env"
# shellcheck source=flink.env
. "$PINS"

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-flink"
KEY="$(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$PINS" | sha256sum | cut -c1-12)"
FLINK_DIR="$CACHE_ROOT/flink/$KEY"
JOB_SOURCE="$HERE/flink-job/CounterJob.java"
JOBS_DIR="$FLINK_DIR/jobs/$(sha256sum "$JOB_SOURCE" | cut -c1-12)"

case "${1:-}" in
    --dir) echo "$FLINK_DIR"; exit 0 ;;
    --jobs-dir) echo "$JOBS_DIR"; exit 0 ;;
    "") ;;
    *) echo "flink.sh: unknown argument '$1'" >&2; sed -n "2,7p" "$0" >&2; exit 2 ;;
esac

START_ALL=$SECONDS
progress() {
    printf '[flink %4dm%02ds] %s\n' $(((SECONDS - START_ALL) / 60)) $(((SECONDS - START_ALL) % 60)) "$*"
}
fail() {
    echo "flink.sh: FAILED: $*" >&2
    echo "  Re-running this script resumes; finished versions are kept in $FLINK_DIR." >&2
    exit 3
}
trap 'fail "command failed (line $LINENO): $BASH_COMMAND"' ERR

for tool in python3 javac jar; do
    command -v "$tool" >/dev/null || fail "no '$tool' on PATH (a JDK >= 11 and python3 are needed)"
done

VERSIONS=()
while IFS='=' read -r name value; do
    VERSIONS+=("$value")
done < <(grep -E '^FLINK_[0-9]+_[0-9]+=' "$PINS")

mkdir -p "$FLINK_DIR"
# One fetch at a time per key (a developer and a test run may both ask).
exec 9>"$FLINK_DIR/.lock"
flock 9

# pip needs `wheel` to prepare the sdist's metadata; the sdist is only unpacked.
PIP_PYTHON="$FLINK_DIR/.pip-venv/bin/python"
pip_venv() {
    local venv="$FLINK_DIR/.pip-venv"
    if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import wheel, setuptools' 2>/dev/null; then
        progress "pip venv: creating $venv"
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check wheel setuptools
    fi
}

fetch_distribution() {
    local version="$1" home="$FLINK_DIR/flink-$1" t0=$SECONDS staging
    pip_venv
    staging="$FLINK_DIR/.staging-$version"
    rm -rf "$staging" && mkdir -p "$staging"
    progress "flink $version: downloading apache-flink-libraries==$version from PyPI ..."
    "$PIP_PYTHON" -m pip download --disable-pip-version-check --progress-bar off --no-deps \
        --no-build-isolation --no-binary :all: -d "$staging" "apache-flink-libraries==$version" \
        | grep -E '^(Collecting|  Downloading|Saved)' || true
    local sdist="$staging/apache-flink-libraries-$version.tar.gz"
    [ -f "$sdist" ] || fail "pip did not save $sdist"
    progress "flink $version: unpacking $(du -m "$sdist" | cut -f1) MB ..."
    tar -xzf "$sdist" -C "$staging" "apache-flink-libraries-$version/deps"
    rm -rf "$home"
    mv "$staging/apache-flink-libraries-$version/deps" "$home"
    rm -rf "$staging" "$home/licenses"
    mkdir -p "$home/usrlib"
    [ -f "$home/bin/bash-java-utils.jar" ] && ls "$home/lib/"flink-dist-*.jar >/dev/null \
        || fail "apache-flink-libraries==$version has no flink-dist jar or bash-java-utils.jar"
    progress "flink $version: ready in $((SECONDS - t0))s ($(du -sm "$home" | cut -f1) MB)"
}

compile_job() {
    local version="$1" out="$JOBS_DIR/$1" classes
    classes="$(mktemp -d)"
    javac --release 11 -nowarn -cp "$FLINK_DIR/flink-$version/lib/*" -d "$classes" \
        "$JOB_SOURCE" 2>&1 | grep -v '^Note:' || true
    [ -f "$classes/dev/pulumiflink/jobs/CounterJob.class" ] || fail "javac failed for Flink $version"
    mkdir -p "$out"
    jar --create --file "$out/counter-job.jar" --main-class dev.pulumiflink.jobs.CounterJob -C "$classes" .
    rm -rf "$classes"
    progress "flink $version: test job compiled: $out/counter-job.jar"
}

progress "flink key $KEY ($PINS), dir $FLINK_DIR"
for version in "${VERSIONS[@]}"; do
    if [ -f "$FLINK_DIR/flink-$version/.complete" ]; then
        progress "flink $version: present, skipped"
    else
        fetch_distribution "$version"
        touch "$FLINK_DIR/flink-$version/.complete"
    fi
    [ -f "$JOBS_DIR/$version/counter-job.jar" ] || compile_job "$version"
done
cp "$PINS" "$FLINK_DIR/flink.env"
progress "flink done in $((SECONDS - START_ALL))s: ${VERSIONS[*]}"

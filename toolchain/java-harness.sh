#!/usr/bin/env bash
# The start every Java harness installer shares (toolchain/flink-entrypoints
# and toolchain/operator-validator): sourced by their install.sh, not run.
#
#   . "$HERE/../java-harness.sh"
#   java_harness_start NAME "${1:-}" FILE...
#
# HERE is the harness's folder (its versions.env is read from there). Sets
# ROOT (${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-flink/NAME), KEY (12 hex
# digits of the sha256 of the KEY=VALUE lines of versions.env followed by
# FILE...: the cache key, so a change to this file or to install.sh never
# rebuilds anything), DIR (ROOT/KEY) and START. With --dir it prints DIR and
# exits; when DIR holds a finished install (`ready`) it says so and exits;
# otherwise it checks that java, javac and mvn are on PATH.

java_harness_start() {
    local name="$1" argument="$2"
    shift 2
    ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-flink/$name"
    KEY="$(cat <(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$HERE/versions.env") "$@" \
        | sha256sum | cut -c1-12)"
    DIR="$ROOT/$KEY"
    if [ "$argument" = "--dir" ]; then
        echo "$DIR"
        exit 0
    fi
    if [ -e "$DIR/ready" ]; then
        echo "[$name] ready: $DIR"
        exit 0
    fi
    local tool
    for tool in java javac mvn; do
        command -v "$tool" >/dev/null || {
            echo "$name: no '$tool' on PATH: install Java 17 and Maven (Debian: openjdk-17-jdk-headless maven)" >&2
            exit 1
        }
    done
    START=$SECONDS
}

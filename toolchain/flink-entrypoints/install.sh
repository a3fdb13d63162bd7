#!/usr/bin/env bash
# Install what the entrypoint checks need: they run what we render through
# Flink's own entrypoint code, from the distributions of toolchain/flink.sh:
# - RunSqlDriver: Flink 2.0's SqlDriver with Flink's flink-sql-gateway jar
#   (Maven Central; the PyPI distribution has no opt/flink-sql-gateway jar);
# - ParseStandaloneJobArgs: the standalone-job entrypoint's argument parser,
#   compiled once per Flink distribution (1.18 has no --jars, 1.20 has).
#
#   toolchain/flink-entrypoints/install.sh         fetch and compile what is missing
#   toolchain/flink-entrypoints/install.sh --dir   print the install directory (no build)
#
# Maven copies org.apache.flink:flink-sql-gateway (version in versions.env
# beside this script) from Maven Central into
# ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-flink/flink-entrypoints/<key>/, where
# <key> hashes the pins and the Java sources. A finished install holds
# `flink-sql-gateway.jar`, `classes/` (RunSqlDriver), `parser-<version>/`
# (ParseStandaloneJobArgs per distribution), `flink-home` (the Flink 2.0
# distribution's path), `flink-root` (where all distributions are) and `ready`.
# Cold: about 30 s (Maven resolving its plugin; the jar is 1 MB) once
# toolchain/flink.sh has run; warm: instant. Needs Java 17 and Maven.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
. "$HERE/versions.env"
# shellcheck source=../java-harness.sh
. "$HERE/../java-harness.sh"
java_harness_start flink-entrypoints "${1:-}" "$HERE"/*.java
"$HERE/../flink.sh"
FLINK_ROOT="$("$HERE/../flink.sh" --dir)"
FLINK_HOME="$FLINK_ROOT/flink-$FLINK_SQL_GATEWAY_VERSION"
[ -d "$FLINK_HOME/lib" ] || {
    echo "flink-entrypoints: no Flink $FLINK_SQL_GATEWAY_VERSION in $FLINK_HOME: pin it in toolchain/flink.env" >&2
    exit 1
}
mkdir -p "$DIR" "$ROOT/m2"
exec 9>"$DIR/.lock"
flock 9
echo "[flink-entrypoints] copying flink-sql-gateway $FLINK_SQL_GATEWAY_VERSION from Maven Central"
mvn -B -q -Dmaven.repo.local="$ROOT/m2" \
    "org.apache.maven.plugins:maven-dependency-plugin:$MAVEN_DEPENDENCY_PLUGIN_VERSION:copy" \
    -Dartifact="org.apache.flink:flink-sql-gateway:$FLINK_SQL_GATEWAY_VERSION" \
    -Dtransitive=false -Dmdep.stripVersion=true -DoutputDirectory="$DIR"
echo "[flink-entrypoints] compiling the launcher"
rm -rf "$DIR/classes"
javac -d "$DIR/classes" -cp "$FLINK_HOME/lib/*" "$HERE/RunSqlDriver.java"
for home in "$FLINK_ROOT"/flink-*/; do
    version="$(basename "$home")"
    echo "[flink-entrypoints] compiling the standalone-job argument parser for $version"
    rm -rf "$DIR/parser-${version#flink-}"
    javac -d "$DIR/parser-${version#flink-}" -cp "$home/lib/*" "$HERE/ParseStandaloneJobArgs.java"
done
echo "$FLINK_HOME" >"$DIR/flink-home"
echo "$FLINK_ROOT" >"$DIR/flink-root"
touch "$DIR/ready"
echo "[flink-entrypoints] ready in $((SECONDS - START))s: $DIR"

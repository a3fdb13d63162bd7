#!/usr/bin/env bash
# Install the Flink Kubernetes Operator's validator harness for the test suite.
#
#   toolchain/operator-validator/install.sh         download and compile what is missing
#   toolchain/operator-validator/install.sh --dir   print the install directory (no build)
#
# Maven resolves org.apache.flink:flink-kubernetes-operator (version in
# versions.env beside this script) and its dependencies from Maven Central
# into ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-flink/operator-validator/m2;
# javac compiles OperatorValidator.java against them into
# .../operator-validator/<key>/, where <key> hashes the pins, the pom and the
# harness source. A finished install holds `classpath.txt`, `classes/` and
# `ready`. Cold: about a minute (110 MB of jars); warm: instant. Needs Java 17
# and Maven on PATH.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
. "$HERE/versions.env"
# shellcheck source=../java-harness.sh
. "$HERE/../java-harness.sh"
java_harness_start operator-validator "${1:-}" "$HERE/pom.xml" "$HERE/OperatorValidator.java"
mkdir -p "$DIR" "$ROOT/m2"
exec 9>"$DIR/.lock"
flock 9
echo "[operator-validator] resolving flink-kubernetes-operator $FLINK_KUBERNETES_OPERATOR_VERSION from Maven Central into $ROOT/m2"
mvn -B -q -f "$HERE/pom.xml" \
    -Dmaven.repo.local="$ROOT/m2" \
    -Doperator.version="$FLINK_KUBERNETES_OPERATOR_VERSION" \
    -Ddependency.plugin.version="$MAVEN_DEPENDENCY_PLUGIN_VERSION" \
    dependency:build-classpath -Dmdep.outputFile="$DIR/classpath.txt"
echo "[operator-validator] compiling the harness"
rm -rf "$DIR/classes"
javac -d "$DIR/classes" -cp "$(cat "$DIR/classpath.txt")" "$HERE/OperatorValidator.java"
touch "$DIR/ready"
echo "[operator-validator] ready in $((SECONDS - START))s: $DIR"

#!/usr/bin/env bash
# Install what the SQL driver check needs: Flink's flink-sql-gateway jar and a
# tiny launcher, compiled against the Flink 2.0 distribution of toolchain/flink.sh.
#
#   toolchain/sql-driver/install.sh         fetch and compile what is missing
#   toolchain/sql-driver/install.sh --dir   print the install directory (no build)
#
# Maven copies org.apache.flink:flink-sql-gateway (version in versions.env
# beside this script) from Maven Central into
# ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-flink/sql-driver/<key>/, where <key>
# hashes the pins and the launcher's source; javac compiles RunSqlDriver.java
# there. A finished install holds `flink-sql-gateway.jar`, `classes/`,
# `flink-home` (the distribution's path) and `ready`. Cold: a few seconds
# (1 MB) once toolchain/flink.sh has run; warm: instant. Needs Java 17 and Maven.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
. "$HERE/versions.env"
ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-flink/sql-driver"
KEY="$(cat <(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$HERE/versions.env") "$HERE/RunSqlDriver.java" \
    | sha256sum | cut -c1-12)"
DIR="$ROOT/$KEY"

if [ "${1:-}" = "--dir" ]; then
    echo "$DIR"
    exit 0
fi
if [ -e "$DIR/ready" ]; then
    echo "[sql-driver] ready: $DIR"
    exit 0
fi
for tool in java javac mvn; do
    command -v "$tool" >/dev/null || {
        echo "sql-driver: no '$tool' on PATH: install Java 17 and Maven (Debian: openjdk-17-jdk-headless maven)" >&2
        exit 1
    }
done
START=$SECONDS
"$HERE/../flink.sh"
FLINK_HOME="$("$HERE/../flink.sh" --dir)/flink-$FLINK_SQL_GATEWAY_VERSION"
[ -d "$FLINK_HOME/lib" ] || {
    echo "sql-driver: no Flink $FLINK_SQL_GATEWAY_VERSION in $FLINK_HOME: pin it in toolchain/flink.env" >&2
    exit 1
}
mkdir -p "$DIR" "$ROOT/m2"
exec 9>"$DIR/.lock"
flock 9
echo "[sql-driver] copying flink-sql-gateway $FLINK_SQL_GATEWAY_VERSION from Maven Central"
mvn -B -q -Dmaven.repo.local="$ROOT/m2" \
    "org.apache.maven.plugins:maven-dependency-plugin:$MAVEN_DEPENDENCY_PLUGIN_VERSION:copy" \
    -Dartifact="org.apache.flink:flink-sql-gateway:$FLINK_SQL_GATEWAY_VERSION" \
    -Dtransitive=false -Dmdep.stripVersion=true -DoutputDirectory="$DIR"
echo "[sql-driver] compiling the launcher"
rm -rf "$DIR/classes"
javac -d "$DIR/classes" -cp "$FLINK_HOME/lib/*" "$HERE/RunSqlDriver.java"
echo "$FLINK_HOME" >"$DIR/flink-home"
touch "$DIR/ready"
echo "[sql-driver] ready in $((SECONDS - START))s: $DIR"

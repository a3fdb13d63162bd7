#!/usr/bin/env bash
# Unpack gawk and busybox (with their pinned Debian packages, versions.env
# beside this script) for the tests that run the standalone init script under
# every POSIX sh + awk a Flink image may have: dash + mawk (the machine's),
# dash + gawk, busybox sh + awk. Nothing is installed system-wide: the .deb
# files are fetched with `apt-get download` and unpacked with `dpkg-deb -x`
# into ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-flink/posix-tools/<key>/, whose
# bin/ holds `gawk` (a wrapper setting LD_LIBRARY_PATH for libsigsegv) and
# `busybox`. <key> hashes the pins.
#
#   toolchain/posix-tools/install.sh         fetch and unpack what is missing
#   toolchain/posix-tools/install.sh --dir   print the bin dir (no fetch)
#
# Cold: a few seconds (1.2 MB). Where the packages cannot be fetched it says
# so and exits 0: the tests then run under the shells and awks found on PATH
# and skip the others, naming them.
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-flink/posix-tools"
KEY="$(grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$HERE/versions.env" | sha256sum | cut -c1-12)"
DIR="$ROOT/$KEY"
if [ "${1:-}" = "--dir" ]; then
    echo "$DIR/bin"
    exit 0
fi
if [ -e "$DIR/ready" ]; then
    echo "[posix-tools] ready: $DIR/bin"
    exit 0
fi
# shellcheck source=versions.env
. "$HERE/versions.env"
START=$SECONDS
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "[posix-tools] fetching gawk $GAWK_DEB_VERSION, libsigsegv2 $LIBSIGSEGV2_DEB_VERSION, busybox $BUSYBOX_DEB_VERSION"
if ! (cd "$work" && apt-get download -q "gawk=$GAWK_DEB_VERSION" \
    "libsigsegv2=$LIBSIGSEGV2_DEB_VERSION" "busybox=$BUSYBOX_DEB_VERSION" >/dev/null 2>&1); then
    echo "[posix-tools] not available here (apt-get download failed):" \
        "the init-script tests will skip gawk and busybox" >&2
    exit 0
fi
rm -rf "$DIR"
mkdir -p "$DIR/root" "$DIR/bin"
for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$DIR/root"
done
lib="$(dirname "$(find "$DIR/root" -name 'libsigsegv.so.2' | head -n1)")"
cat >"$DIR/bin/gawk" <<WRAPPER
#!/bin/sh
LD_LIBRARY_PATH="$lib" exec "$DIR/root/usr/bin/gawk" "\$@"
WRAPPER
chmod +x "$DIR/bin/gawk"
ln -s "$DIR/root/bin/busybox" "$DIR/bin/busybox"
"$DIR/bin/gawk" 'BEGIN { exit 0 }'
"$DIR/bin/busybox" awk 'BEGIN { exit 0 }'
touch "$DIR/ready"
echo "[posix-tools] ready in $((SECONDS - START))s: $DIR/bin"

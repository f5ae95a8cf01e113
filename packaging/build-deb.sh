#!/usr/bin/env bash
# Builds the Debian packages b3scale, b3scale-recordings, b3scalectl and b3scaleagent (and their -dbgsym)
# from this checkout with dpkg-buildpackage, in build-deb/, and puts them into OUT_DIR
# (default build-packages/deb). packaging/debian is copied to ./debian for the build only.
# Usage: packaging/build-deb.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$(realpath -m "${1:-build-packages/deb}")
source scripts/ccache-env.sh

if [ -e debian ]; then
    echo "build-deb: ./debian exists; remove it (packaging/debian is the source)" >&2
    exit 1
fi
cp -a packaging/debian debian
trap 'rm -rf "$root/debian"' EXIT

version=$(dpkg-parsechangelog -S Version)
# -nc: keep build-deb between runs (Ninja rebuilds only what changed); -j2: CI's two cores.
dpkg-buildpackage -b -us -uc -nc -j"${B3S_JOBS:-2}"

# dpkg-buildpackage writes next to the checkout; move exactly what it made.
mkdir -p "$out"
for f in ../b3scale_"$version"_*.deb ../b3scale-recordings_"$version"_*.deb ../b3scalectl_"$version"_*.deb \
         ../b3scaleagent_"$version"_*.deb \
         ../b3scale*-dbgsym_"$version"_*.deb ../b3scale_"$version"_*.buildinfo ../b3scale_"$version"_*.changes; do
    [ -e "$f" ] && mv -f "$f" "$out/"
done
echo "build-deb: packages in $out"

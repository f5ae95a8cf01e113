#!/usr/bin/env bash
# Builds the openSUSE rpms b3scale, b3scale-recordings, b3scalectl and b3scaleagent from this checkout
# (rpmbuild --build-in-place, in build-rpm/) and the source rpm from a `git archive` tarball,
# into OUT_DIR (default build-packages/rpm). On a host that is not openSUSE (Debian in CI)
# the openSUSE macros come from packaging/rpm/macros.opensuse, and rpm's database knows no
# BuildRequires (--nodeps; install-deps.sh installs the Debian equivalents).
# Usage: packaging/build-rpm.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-build-packages/rpm}")
source scripts/ccache-env.sh

spec=packaging/rpm/b3scale.spec
rpm_args=(--define "_topdir $out/rpmbuild" --define "_rpmdir $out" --define "_srcrpmdir $out")
build_args=()
if [ ! -e /etc/os-release ] || ! grep -qi suse /etc/os-release; then
    rpm_args+=(--load packaging/rpm/macros.opensuse)
    build_args+=(--nodeps)
fi
export RPM_BUILD_NCPUS="${B3S_JOBS:-2}"
mkdir -p "$out/rpmbuild/SOURCES"

rpmbuild "${rpm_args[@]}" "${build_args[@]}" --build-in-place -bb "$spec"

# The source rpm: the committed tree plus uncommitted changes of tracked files.
version=$(rpmspec "${rpm_args[@]}" -q --srpm --qf '%{version}' "$spec")
tree=$(git stash create 2>/dev/null || true)
git archive --format=tar.gz --prefix="b3scale-$version/" -o "$out/rpmbuild/SOURCES/b3scale-$version.tar.gz" "${tree:-HEAD}"
cp packaging/rpm/b3scale.rpmlintrc "$out/rpmbuild/SOURCES/"
rpmbuild "${rpm_args[@]}" "${build_args[@]}" -bs "$spec"
echo "build-rpm: packages in $out"

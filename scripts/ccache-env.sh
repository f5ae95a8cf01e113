# Sourced by scripts/test.sh and the package builds: when ccache is installed, it becomes the
# compiler launcher, with paths relative to the checkout and the working directory left out of
# the hash, so a second build directory of the same checkout with the same flags (build-deb,
# build-rpm beside build) reuses the test build's objects. The locale stays out of the hash too:
# dh_auto_build runs Ninja with LC_ALL=C.UTF-8 and rpmbuild sets LANG=C (it only changes the
# language of compiler messages). Values already set are kept.
# Sets B3S_CCACHE_FLAGS (CMake arguments; empty without ccache).
B3S_CCACHE_FLAGS=()
if command -v ccache >/dev/null 2>&1; then
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}"
    export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
    export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-locale}"
    B3S_CCACHE_FLAGS=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

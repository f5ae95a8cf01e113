# Sourced by scripts/test.sh and the package builds: when ccache is installed, it becomes the
# compiler launcher, with paths relative to the checkout and the working directory left out of
# the hash, so a second build directory of the same checkout with the same flags (build-deb,
# build-rpm beside build) reuses the test build's objects. Values already set are kept.
# Sets B3S_CCACHE_FLAGS (CMake arguments; empty without ccache).
B3S_CCACHE_FLAGS=()
if command -v ccache >/dev/null 2>&1; then
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(pwd)}"
    export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
    B3S_CCACHE_FLAGS=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi

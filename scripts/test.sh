#!/usr/bin/env bash
# Runs every test: installs what is missing, builds with tests, and runs CTest (unit, load,
# contract, integration and soak layers; the integration layer starts its own throwaway PostgreSQL 15 on
# 127.0.0.1, the soak one of its own and runs B3S_SOAK_SECONDS, default 300, in at most 6 minutes).
# Then, for the plain build and as root, the package test (scripts/package-test.sh).
# Usage: scripts/test.sh [--sanitize]   (AddressSanitizer + UBSan build)
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DB3S_BUILD_TESTS=ON -DB3S_SANITIZE=OFF)
if [ "${1:-}" = "--sanitize" ]; then
    build=build-sanitize
    flags=(-DCMAKE_BUILD_TYPE=Debug -DB3S_BUILD_TESTS=ON -DB3S_SANITIZE=ON)
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    export LSAN_OPTIONS=suppressions="$(pwd)/tests/lsan.supp"
    # The sanitized soak looks for memory and threading errors, not endurance (the plain build
    # runs the full 5 minutes): 2.5 minutes cover both kinds of chaos and keep CI under an hour.
    export B3S_SOAK_SECONDS=${B3S_SOAK_SECONDS:-150}
fi

scripts/install-deps.sh
# ccache as the compiler launcher when installed; the package builds reuse these objects.
source scripts/ccache-env.sh
cmake -S . -B "$build" -G Ninja "${flags[@]}" "${B3S_CCACHE_FLAGS[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
# Fast layers first; stop at the first failing layer.
ctest -L unit --output-on-failure -j"$(nproc)"
ctest -L load --output-on-failure -j"$(nproc)"
ctest -L contract --output-on-failure -j"$(nproc)"
ctest -L integration --output-on-failure -j2 --timeout 300
ctest -L soak --output-on-failure
cd ..
# The packages (root only; skipped with a line otherwise), after the plain build: their
# build directories reuse its objects through ccache.
if [ "$build" = build ]; then
    scripts/package-test.sh
fi

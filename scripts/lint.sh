#!/usr/bin/env bash
# Formatting and bug-finding checks, as CI runs them after the build.
# Usage: scripts/lint.sh [--fix] [BUILD_DIR]   (BUILD_DIR default: build, with compile_commands.json)
#   1. clang-format (.clang-format) over every C++ file we wrote: any difference fails;
#      --fix rewrites the files instead.
#   2. clang-tidy (.clang-tidy: a short list of checks that find real bugs) over the sources
#      of core/, ctl/, agent/ and plugins/, in parallel; any finding fails.
set -euo pipefail
cd "$(dirname "$0")/.."

fix=no
if [ "${1:-}" = "--fix" ]; then fix=yes; shift; fi
build=${1:-build}

# Our C++: everything tracked by git except generated files and build trees.
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' | grep -v -E '^(build[^/]*)/')

if [ "$fix" = yes ]; then
    clang-format -i "${files[@]}"
    echo "clang-format: rewrote ${#files[@]} files"
else
    if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/b3s-clang-format.$$; then
        grep -E '^[^ ].*: (error|warning):' /tmp/b3s-clang-format.$$ | sed -E 's/:[0-9]+:[0-9]+: .*//' | sort -u |
            sed 's/^/clang-format: not formatted: /' >&2
        rm -f /tmp/b3s-clang-format.$$
        echo "clang-format: run scripts/lint.sh --fix" >&2
        exit 1
    fi
    rm -f /tmp/b3s-clang-format.$$
    echo "clang-format: ${#files[@]} files formatted"
fi

if [ ! -f "$build/compile_commands.json" ]; then
    echo "clang-tidy: $build/compile_commands.json is missing; configure the build first" >&2
    exit 1
fi
mapfile -t sources < <(git ls-files 'core/*.cpp' 'ctl/*.cpp' 'agent/*.cpp' 'plugins/*.cpp' | grep -v '/tests/')
run-clang-tidy -quiet -p "$build" -j "$(nproc)" "${sources[@]/#/$(pwd)/}" >/tmp/b3s-clang-tidy.$$ 2>&1 || status=$?
if [ "${status:-0}" != 0 ]; then
    grep -E ': (error|warning): ' /tmp/b3s-clang-tidy.$$ | sort -u >&2 || cat /tmp/b3s-clang-tidy.$$ >&2
    rm -f /tmp/b3s-clang-tidy.$$
    echo "clang-tidy: findings above (.clang-tidy lists the checks)" >&2
    exit 1
fi
rm -f /tmp/b3s-clang-tidy.$$
echo "clang-tidy: ${#sources[@]} files clean"

#!/bin/sh
# Builds the libFuzzer target b3s_fuzz_query_checksum with clang++ straight from the
# sources (the main build uses g++, which has no libFuzzer) and runs it.
#
#   tests/fuzz/run-fuzz.sh <seconds> [work-dir]       build, then fuzz for <seconds>
#   tests/fuzz/run-fuzz.sh build [work-dir]           build only
#   tests/fuzz/run-fuzz.sh run <seconds> [work-dir]   fuzz with the binary built before
#
# work-dir defaults to build/fuzz. The seed corpus tests/fuzz/corpus/ is read, never
# written; new inputs go to <work-dir>/corpus, crash reproducers to <work-dir>/.
# Exit status is non-zero on a crash, a sanitizer report or a failed property.
# CLANGXX overrides the compiler (default: clang++-14, then clang++).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
usage="usage: run-fuzz.sh <seconds> | build | run <seconds>  [work-dir]"

mode=all
case "${1:-}" in
  build) mode=build; shift ;;
  run) mode=run; shift ;;
  '') echo "$usage" >&2; exit 2 ;;
esac
if [ "$mode" != build ]; then
  seconds=${1:?$usage}
  shift
fi
work=${1:-$root/build/fuzz}
binary="$work/b3s_fuzz_query_checksum"

build() {
  clangxx=${CLANGXX:-}
  if [ -z "$clangxx" ]; then
    for candidate in clang++-14 clang++; do
      if command -v "$candidate" >/dev/null 2>&1; then clangxx=$candidate; break; fi
    done
  fi
  [ -n "$clangxx" ] || { echo "run-fuzz.sh: clang++ not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 2; }
  mkdir -p "$work"
  # shellcheck disable=SC2046 # the source list is meant to be split
  "$clangxx" -std=c++20 -g -O1 -Wall -Wextra \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$root/core/src" \
    "$here/fuzz_query_checksum.cpp" $(ls "$root"/core/src/bbb/*.cpp) \
    -lPocoFoundation -o "$binary.tmp"
  mv "$binary.tmp" "$binary"
}

[ "$mode" = run ] || build
[ "$mode" = build ] && exit 0

mkdir -p "$work/corpus"
cd "$work"
exec "$binary" -max_total_time="$seconds" -print_final_stats=1 -max_len=4096 -timeout=10 \
  "$work/corpus" "$here/corpus"

#!/bin/sh
# Builds the libFuzzer targets with clang++ straight from the sources (the main build uses
# g++, which has no libFuzzer) and runs one of them:
#   query_checksum  the BBB request path (query parsing, checksum, meeting-id codec)
#   backend_xml     backend answers through the XML tree reader and the id rewrite
#
#   tests/bbb/fuzz/run-fuzz.sh <seconds> [work-dir] [target]      build, then fuzz for <seconds>
#   tests/bbb/fuzz/run-fuzz.sh build [work-dir]                   build both
#   tests/bbb/fuzz/run-fuzz.sh run <seconds> [work-dir] [target]  fuzz with the binary built before
#
# work-dir defaults to build/fuzz, target to query_checksum. The seed corpora
# tests/bbb/fuzz/corpus/ and tests/bbb/fuzz/xml_corpus/ are read, never written; new inputs go to
# <work-dir>/corpus-<target>, crash reproducers to <work-dir>/.
# Exit status is non-zero on a crash, a sanitizer report or a failed property.
# CLANGXX overrides the compiler (default: clang++-14, then clang++).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
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
mkdir -p "$work"
work=$(cd "$work" && pwd)  # absolute: the fuzzer runs from inside it
target=${2:-query_checksum}
case "$target" in
  query_checksum) seeds="$here/corpus" ;;
  backend_xml) seeds="$here/xml_corpus" ;;
  *) echo "run-fuzz.sh: unknown target $target" >&2; exit 2 ;;
esac
binary="$work/b3s_fuzz_$target"

build() {
  clangxx=${CLANGXX:-}
  if [ -z "$clangxx" ]; then
    for candidate in clang++-14 clang++; do
      if command -v "$candidate" >/dev/null 2>&1; then clangxx=$candidate; break; fi
    done
  fi
  [ -n "$clangxx" ] || { echo "run-fuzz.sh: clang++ not found (apt-get install clang-14 libclang-rt-14-dev)" >&2; exit 2; }
  mkdir -p "$work"
  # The SDK headers answer_rewrite.cpp reaches include the generated ABI hash: write it here, as
  # the build does (cmake/abi_hash.cmake), so the script needs no configured build tree.
  generated="$work/generated/include"
  cmake -DSDK_DIR="$root/core/include/b3s/plugin" -DTEMPLATE="$root/cmake/abi_hash.hpp.in" \
    -DOUTPUT="$generated/b3s/generated/abi_hash.hpp" -P "$root/cmake/abi_hash.cmake"
  for t in query_checksum backend_xml; do
    extra=""
    [ "$t" = backend_xml ] && extra="$root/core/src/gateway/answer_rewrite.cpp"
    # shellcheck disable=SC2046,SC2086 # the source lists are meant to be split
    "$clangxx" -std=c++20 -g -O1 -Wall -Wextra \
      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
      -I"$root/core/src" -I"$root/core/support/include" -I"$root/core/include" -I"$generated" -I"$here" \
      "$here/fuzz_$t.cpp" $(ls "$root"/core/src/bbb/*.cpp) "$root/core/support/src/base64url.cpp" $extra \
      -lPocoXML -lPocoJSON -lPocoFoundation -o "$work/b3s_fuzz_$t.tmp"
    mv "$work/b3s_fuzz_$t.tmp" "$work/b3s_fuzz_$t"
  done
}

[ "$mode" = run ] || build
[ "$mode" = build ] && exit 0

mkdir -p "$work/corpus-$target"
cd "$work"
exec "$binary" -max_total_time="$seconds" -print_final_stats=1 -max_len=4096 -timeout=10 \
  "$work/corpus-$target" "$seeds"

#!/usr/bin/env bash
# bench/run.sh [--quick] [--build-dir DIR] [--only LIST] [--keep]
#
# Builds what the benchmark needs (b3scaled, its plugins, fake_bbb, bench/seed,
# bench/placement) in DIR (default: build) with -DB3S_BUILD_BENCH=ON, then runs every
# scenario (bench/harness/bench.py) and writes bench/results/latest.{json,md}.
# Installs the Debian packages it needs when run as root (wrk, nginx-light,
# libbenchmark-dev). Full run about 12 minutes on 2 cores, --quick about 8.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$ROOT/build
ARGS=()
while [ $# -gt 0 ]; do
    case $1 in
        --build-dir) BUILD=$(realpath -m "$2"); shift 2 ;;
        *) ARGS+=("$1"); shift ;;
    esac
done

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
[ -f /usr/include/benchmark/benchmark.h ] || need+=(libbenchmark-dev)
command -v python3 >/dev/null || need+=(python3)
command -v psql >/dev/null || need+=(postgresql-client)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "bench/run.sh: please install: ${need[*]}" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    # The nginx package starts its default site; the bench runs its own nginx on loopback only.
    if command -v systemctl >/dev/null && systemctl is-active -q nginx 2>/dev/null; then systemctl stop nginx; fi
fi
export PATH=$PATH:/usr/sbin

GENERATOR=()
[ -f "$BUILD/CMakeCache.txt" ] || { command -v ninja >/dev/null && GENERATOR=(-G Ninja); }
cmake -S "$ROOT" -B "$BUILD" "${GENERATOR[@]}" -DB3S_BUILD_BENCH=ON -DB3S_BUILD_TESTS=ON >/dev/null
if grep -q '^CMAKE_BUILD_TYPE:STRING=Debug' "$BUILD/CMakeCache.txt"; then
    echo "bench/run.sh: $BUILD is a Debug build; use a RelWithDebInfo or Release tree" >&2
    exit 1
fi
cmake --build "$BUILD" -j2 --target b3s_bench_programs

exec python3 "$ROOT/bench/harness/bench.py" --build-dir "$BUILD" "${ARGS[@]}"

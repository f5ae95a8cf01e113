#!/usr/bin/env bash
# Installs what is missing, builds b3scale and runs b3scaled in the foreground on
# 127.0.0.1:42352 with the embedded SQLite store in ./.b3scale (migrations applied).
# Stop it with Ctrl-C (SIGTERM/SIGINT drain in-flight requests first).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/install-deps.sh --runtime-only
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DB3S_BUILD_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)" --target b3scaled b3s_balancer_least_load b3s_balancer_reserved_seats \
    b3s_balancer_round_robin b3s_auth_jwt b3s_metrics_prometheus b3s_recordings_filesystem b3scalectl

state="$root/.b3scale"
mkdir -p "$state"
chmod 700 "$state"
if [ -z "${B3SCALE_API_JWT_SECRET:-}" ]; then
    if [ ! -s "$state/jwt-secret" ]; then
        (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$state/jwt-secret")
    fi
    B3SCALE_API_JWT_SECRET=$(cat "$state/jwt-secret")
    export B3SCALE_API_JWT_SECRET
fi
export B3SCALE_DB_URL="${B3SCALE_DB_URL:-sqlite://$state/b3scale.db}"
export B3SCALE_LISTEN_HTTP="${B3SCALE_LISTEN_HTTP:-127.0.0.1:42352}"
export B3SCALE_LOG_FORMAT="${B3SCALE_LOG_FORMAT:-plain}"

build/bin/b3scaled --migrate

cat <<NEXT

b3scaled is starting on http://$B3SCALE_LISTEN_HTTP (embedded store: $state/b3scale.db).
Next steps, in another terminal:
  curl -s http://$B3SCALE_LISTEN_HTTP/readyz     # {"status":"ready",...}
  curl -s http://$B3SCALE_LISTEN_HTTP/metrics    # Prometheus text
  The REST API's JWT secret is in $state/jwt-secret (mode 0600); b3scalectl reads it from
  stdin once and keeps a token:
  build/bin/b3scalectl auth authorize < $state/jwt-secret
  build/bin/b3scalectl add backend https://bbb1.example.org --secret <its bbb-conf --secret>
  build/bin/b3scalectl add frontend greenlight --secret <the tenant's secret>
  build/bin/b3scalectl show backends
  For production, put nginx in front (etc/nginx/b3scale.conf) and see README.md.
Stop with Ctrl-C.

NEXT
exec build/bin/b3scaled

#!/usr/bin/env bash
# pg-up.sh [DIR] [TIMEZONE]
#
# Starts a throwaway PostgreSQL 15 cluster for tests and writes its URL to DIR/url:
#   postgres://b3s:<password>@127.0.0.1:<port>/b3scale_test
# The role b3s may create databases, so each test can use a database of its own.
# TIMEZONE (e.g. America/St_Johns) sets the server's default TimeZone, so tests can prove
# that nothing depends on it.
#
# The cluster itself lives in a fresh directory under ${TMPDIR:-/tmp} owned by the user
# PostgreSQL runs as, because DIR may sit in a tree that user cannot traverse (a build
# tree owned by root). DIR keeps the URL and the cluster's location (DIR/cluster);
# pg-down.sh DIR stops it and removes both, pg-ctl.sh DIR start|stop|restart drives it.
set -euo pipefail

DIR=${1:-${TMPDIR:-/tmp}/b3s-test-pg}
TZ_SETTING=${2:-}
BIN=/usr/lib/postgresql/15/bin

if [ "$(id -u)" = 0 ]; then
    RUN_AS=(runuser -u postgres --)
else
    RUN_AS=()
fi

# A leftover cluster from an interrupted run would hold the port and the files.
if [ -f "$DIR/cluster" ]; then
    "$(dirname "$0")/pg-down.sh" "$DIR" || true
fi
mkdir -p "$DIR"
rm -f "$DIR/url"

CLUSTER=$(mktemp -d "${TMPDIR:-/tmp}/b3s-pg.XXXXXXXX")
echo "$CLUSTER" >"$DIR/cluster"
# Hex only: the password goes into a URL without escaping.
PASSWORD=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
echo "$PASSWORD" >"$CLUSTER/pwfile"
if [ "$(id -u)" = 0 ]; then
    chown -R postgres:postgres "$CLUSTER"
fi

"${RUN_AS[@]}" "$BIN/initdb" -D "$CLUSTER/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync --pwfile="$CLUSTER/pwfile" \
    >"$CLUSTER/initdb.log" 2>&1 || { cat "$CLUSTER/initdb.log" >&2; exit 1; }

OPTS="-k $CLUSTER -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
OPTS+=" -c full_page_writes=off -c max_connections=200"
if [ -n "$TZ_SETTING" ]; then
    OPTS+=" -c timezone=$TZ_SETTING"
fi

# A port can be taken between the probe and the start: try a few random ones.
port_is_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=
for _ in 1 2 3 4 5 6 7 8; do
    candidate=$((20000 + RANDOM % 40000))
    port_is_busy "$candidate" && continue
    if "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$CLUSTER/data" -l "$CLUSTER/server.log" -w -t 30 \
        -o "$OPTS -p $candidate" start >/dev/null; then
        PORT=$candidate
        # pg_ctl start does not remember -o (only restart does); pg-ctl.sh reads this.
        echo "$OPTS -p $candidate" >"$DIR/server-options"
        break
    fi
done
if [ -z "$PORT" ]; then
    echo "pg-up.sh: could not start PostgreSQL on a free port; server log:" >&2
    cat "$CLUSTER/server.log" >&2 || true
    exit 1
fi

"${RUN_AS[@]}" "$BIN/psql" -h "$CLUSTER" -p "$PORT" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 <<SQL
CREATE ROLE b3s LOGIN CREATEDB PASSWORD '$PASSWORD';
CREATE DATABASE b3scale_test OWNER b3s;
SQL

echo "$PORT" >"$DIR/port"
# Written last: its presence means the cluster is ready.
echo "postgres://b3s:$PASSWORD@127.0.0.1:$PORT/b3scale_test" >"$DIR/url.tmp"
mv "$DIR/url.tmp" "$DIR/url"
echo "pg-up.sh: PostgreSQL ready on 127.0.0.1:$PORT (cluster $CLUSTER)"

#!/usr/bin/env bash
# pg-down.sh [DIR]: stops the cluster pg-up.sh started for DIR and removes it and DIR.
set -uo pipefail

DIR=${1:-${TMPDIR:-/tmp}/b3s-test-pg}
BIN=/usr/lib/postgresql/15/bin

if [ "$(id -u)" = 0 ]; then
    RUN_AS=(runuser -u postgres --)
else
    RUN_AS=()
fi

if [ -f "$DIR/cluster" ]; then
    CLUSTER=$(cat "$DIR/cluster")
    if [ -f "$CLUSTER/data/postmaster.pid" ]; then
        "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$CLUSTER/data" -m fast -w -t 30 stop >/dev/null ||
            echo "pg-down.sh: pg_ctl stop failed for $CLUSTER" >&2
    fi
    # Only ever remove what pg-up.sh created.
    case "$CLUSTER" in
        */b3s-pg.*) rm -rf "$CLUSTER" ;;
    esac
fi
rm -rf "$DIR"
exit 0

#!/usr/bin/env bash
# pg-ctl.sh DIR start|stop|restart: drives the cluster pg-up.sh started for DIR, so tests
# can stop or restart PostgreSQL under a running store. Stops and restarts use -m fast,
# which disconnects every client like a real server restart does.
set -euo pipefail

DIR=$1
ACTION=$2
BIN=/usr/lib/postgresql/15/bin
CLUSTER=$(cat "$DIR/cluster")

if [ "$(id -u)" = 0 ]; then
    RUN_AS=(runuser -u postgres --)
else
    RUN_AS=()
fi

case "$ACTION" in
    # pg_ctl start forgets the options of the first start (restart keeps them).
    start) "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$CLUSTER/data" -l "$CLUSTER/server.log" -w -t 30 \
        -o "$(cat "$DIR/server-options")" start >/dev/null ;;
    stop) "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$CLUSTER/data" -m fast -w -t 30 stop >/dev/null ;;
    restart) "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$CLUSTER/data" -l "$CLUSTER/server.log" -m fast -w -t 30 restart >/dev/null ;;
    *) echo "usage: pg-ctl.sh DIR start|stop|restart" >&2; exit 2 ;;
esac

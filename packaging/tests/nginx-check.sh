#!/usr/bin/env bash
# nginx in front of a running b3scaled, as the shipped sites say: b3scale.conf (TLS, API host)
# and b3scale-playback.conf (included in a playback host's TLS server block), with a
# self-signed certificate, checked with `nginx -t`, then requests through it on 127.0.0.1.
# Usage: packaging/tests/nginx-check.sh <b3scaled host:port> [<dir holding b3scale.conf and
#        b3scale-playback.conf>]   (default: the installed /usr/share/b3scale/nginx)
# Exit 0 when every check passed; prints one line per check.
set -euo pipefail
upstream=${1:?usage: nginx-check.sh <b3scaled host:port> [nginx dir]}
src=${2:-/usr/share/b3scale/nginx}
nginx=$(command -v nginx || echo /usr/sbin/nginx)
work=$(mktemp -d /tmp/b3s-nginx.XXXXXX)
failures=0
cleanup() {
    [ -s "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    sleep 0.3
    rm -rf "$work"
}
trap cleanup EXIT

pass() { echo "  ok    $*"; }
fail() { echo "  FAIL  $*"; failures=$((failures + 1)); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

https_port=$(free_port)
http_port=$(free_port)
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=b3scale.test" \
    -addext "subjectAltName=DNS:b3scale.test,DNS:playback.test" \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# The shipped site with what an operator adjusts: name, certificate, ports, upstream.
sed -e "s|server_name b3scale.example.org;|server_name b3scale.test;|" \
    -e "s|/etc/ssl/b3scale/fullchain.pem|$work/cert.pem|" \
    -e "s|/etc/ssl/b3scale/privkey.pem|$work/key.pem|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https_port ssl http2;|" \
    -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
    -e "/listen \[::\]/d" \
    -e "s|server 127.0.0.1:42352;|server $upstream;|" \
    "$src/b3scale.conf" >"$work/b3scale.conf"
# The playback locations inside a TLS server block of their own, as their header says.
sed -e "s|http://127.0.0.1:42352|http://$upstream|" -e "s|/var/bigbluebutton|$work/recordings|g" \
    "$src/b3scale-playback.conf" >"$work/b3scale-playback.conf"
mkdir -p "$work/recordings/published/presentation"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
$( [ "$(id -u)" = 0 ] && echo "user root root;" )
events { worker_connections 64; }
http {
    access_log $work/access.log;
    client_body_temp_path $work/body;
    proxy_temp_path $work/proxy;
    fastcgi_temp_path $work/fastcgi;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    include $work/b3scale.conf;
    server {
        listen 127.0.0.1:$https_port ssl http2;
        server_name playback.test;
        ssl_certificate $work/cert.pem;
        ssl_certificate_key $work/key.pem;
        include $work/b3scale-playback.conf;
    }
}
CONF

if "$nginx" -t -p "$work" -e "$work/error.log" -c "$work/nginx.conf" >"$work/t.log" 2>&1; then
    pass "nginx -t accepts the shipped sites"
else
    fail "nginx -t: $(cat "$work/t.log")"
    exit 1
fi
"$nginx" -p "$work" -e "$work/error.log" -c "$work/nginx.conf"
for _ in $(seq 50); do [ -s "$work/nginx.pid" ] && break; sleep 0.1; done

req() {  # req <host> <path> [curl options…] → prints "<status> <body>"
    local host=$1 path=$2
    shift 2
    rm -f "$work/body.out"
    curl -sS --max-time 10 --cacert "$work/cert.pem" --resolve "$host:$https_port:127.0.0.1" \
        -o "$work/body.out" -w '%{http_code}' "$@" "https://$host:$https_port$path" 2>/dev/null || true
}
body() { cat "$work/body.out" 2>/dev/null || true; }

status=$(req b3scale.test /)
[ "$status" = 403 ] && pass "GET / is 403" || fail "GET / gave $status"

status=$(req b3scale.test /bbb/no-such-tenant/bigbluebutton/api/getMeetings?checksum=0000)
if [ "$status" = 200 ] && body | grep -q '<returncode>FAILED</returncode>'; then
    pass "a BBB call goes through TLS to b3scaled (FAILED answer for an unknown tenant)"
else
    fail "BBB call through nginx: $status $(body | head -c 300)"
fi

# A query near b3scaled's limit reaches b3scaled (a BBB answer), not nginx's 414 page.
long=$(head -c 15000 /dev/zero | tr '\0' 'a')
status=$(req b3scale.test "/bbb/no-such-tenant/bigbluebutton/api/create?name=$long&checksum=0000")
if [ "$status" = 200 ] && body | grep -q '<returncode>FAILED</returncode>'; then
    pass "a 15,000-byte BBB query reaches b3scaled"
else
    fail "15,000-byte query: $status $(body | head -c 200)"
fi

status=$(req b3scale.test /metrics)
[ "$status" = 200 ] && pass "/metrics from 127.0.0.1 is served" || fail "/metrics from 127.0.0.1 gave $status"
status=$(req b3scale.test /metrics --interface 127.0.0.2)
[ "$status" = 403 ] && pass "/metrics from another address is 403" || fail "/metrics from 127.0.0.2 gave $status"
status=$(req b3scale.test /readyz --interface 127.0.0.2)
[ "$status" = 403 ] && pass "/readyz from another address is 403" || fail "/readyz from 127.0.0.2 gave $status"
status=$(req b3scale.test /readyz)
[ "$status" = 200 ] && pass "/readyz from 127.0.0.1 is 200" || fail "/readyz from 127.0.0.1 gave $status $(body)"

status=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' --resolve "b3scale.test:$http_port:127.0.0.1" \
    "http://b3scale.test:$http_port/bbb/x/bigbluebutton/api" 2>/dev/null || true)
[ "$status" = 301 ] && pass "plain HTTP redirects to https" || fail "plain HTTP gave $status"

# The playback host asks b3scaled about every file: an unknown recording is refused.
mkdir -p "$work/recordings/published/presentation/unknown-recording-0000000000000-1"
echo secret >"$work/recordings/published/presentation/unknown-recording-0000000000000-1/slides.svg"
status=$(req playback.test /presentation/unknown-recording-0000000000000-1/slides.svg)
case "$status" in
    401 | 403 | 404) pass "playback of a recording b3scaled does not know is refused ($status)" ;;
    *) fail "playback of an unknown recording gave $status" ;;
esac
status=$(req playback.test /b3scale-playback-auth)
[ "$status" = 404 ] && pass "the auth_request location is internal" || fail "/b3scale-playback-auth gave $status"

if [ "$failures" -gt 0 ]; then
    echo "nginx-check: $failures check(s) failed; nginx error log:"
    tail -20 "$work/error.log"
    exit 1
fi
echo "nginx-check: every check passed"

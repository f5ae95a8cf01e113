#!/usr/bin/env bash
# The package test (root only: it installs the .debs on this machine, then purges them):
#   1. man pages: `man --warnings` finds nothing to say
#   2. rpm + source rpm for openSUSE (packaging/build-rpm.sh), rpmlint, file lists,
#      scriptlets, dependencies, b3scaled's compiled-in plugin directory
#   3. .debs (packaging/build-deb.sh); the CMake install gives exactly their files
#   4. dpkg -i: env file 0640 root:b3scale with a generated 64-hex secret, the system user,
#      systemd-analyze verify; b3scaled started as the unit would start it, /readyz 200;
#      packaging/tests/nginx-check.sh if it exists
#   5. the agent's package: env file 0640 root, its unit verified, neither enabled nor
#      started; b3scaleagent --help and its exit status without configuration
#   6. reinstall (the upgrade path) keeps the operator's env file; remove keeps
#      /var/lib/b3scale, purge deletes it
# Prints a summary; exits non-zero when a check failed.
# Usage: scripts/package-test.sh [OUT_DIR]   (default build-packages)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ "$(id -u)" != 0 ]; then
    echo "package-test: skipped (installs the .debs on this machine: run as root)"
    exit 0
fi
started=$(date +%s)
scripts/install-deps.sh --packaging
out=$(realpath -m "${1:-build-packages}")
mkdir -p "$out"

passed=0
failed=0
failures=()
pass() { passed=$((passed + 1)); echo "  ok: $1"; }
fail() { failed=$((failed + 1)); failures+=("$1"); echo "  FAILED: $1" >&2; }
# check <description> <command...>: the command's exit status decides.
check() {
    local what=$1
    shift
    if "$@"; then pass "$what"; else fail "$what"; fi
}
has_line() { grep -qxF -- "$2" <<<"$1"; }
has_match() { grep -qE -- "$2" <<<"$1"; }

b3scaled_pid=""
cleanup() {
    if [ -n "$b3scaled_pid" ] && kill -0 "$b3scaled_pid" 2>/dev/null; then kill "$b3scaled_pid" || true; fi
    if dpkg-query -W -f='${Status}' b3scale 2>/dev/null | grep -q installed; then
        dpkg --purge b3scale-recordings b3scalectl b3scaleagent b3scale >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

echo "== man pages"
for page in doc/man/*.[0-9]; do
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
    check "$page: man --warnings is silent${warnings:+ ($warnings)}" test -z "$warnings"
done

echo "== rpm (openSUSE)"
rm -rf "$out/rpm"
packaging/build-rpm.sh "$out/rpm" >"$out/build-rpm.log" 2>&1 || { tail -40 "$out/build-rpm.log" >&2; fail "rpmbuild (log: $out/build-rpm.log)"; }
shopt -s nullglob
rpms=("$out"/rpm/*/b3scale*.rpm)
srpms=("$out"/rpm/b3scale-*.src.rpm)
shopt -u nullglob
check "rpmbuild made the binary rpms and the source rpm" test ${#rpms[@]} -ge 4 -a ${#srpms[@]} -eq 1
if [ ${#rpms[@]} -ge 4 ]; then
    # rpmlint reads the spec through rpm, which needs the openSUSE macros on a host that is not
    # openSUSE: a HOME of its own whose ~/.rpmmacros is the shim.
    lint_home=$(mktemp -d)
    grep -qi suse /etc/os-release 2>/dev/null || cp packaging/rpm/macros.opensuse "$lint_home/.rpmmacros"
    lint=$(HOME=$lint_home rpmlint -r packaging/rpm/b3scale.rpmlintrc packaging/rpm/b3scale.spec "${rpms[@]}" "${srpms[@]}" 2>&1) &&
        lint_rc=0 || lint_rc=$?
    rm -rf "$lint_home"
    echo "$lint" | tail -5
    check "rpmlint: no error (exit $lint_rc)" test "$lint_rc" = 0

    rpm_of() { ls "$out"/rpm/*/"$1"-[0-9]*.rpm; }
    server=$(rpm -qlp "$(rpm_of b3scale)")
    recordings=$(rpm -qlp "$(rpm_of b3scale-recordings)")
    ctl=$(rpm -qlp "$(rpm_of b3scalectl)")
    agent=$(rpm -qlp "$(rpm_of b3scaleagent)")
    for f in /usr/bin/b3scaled /usr/lib64/b3scale/plugins/libb3s_balancer_least_load.so \
             /usr/lib64/b3scale/plugins/libb3s_auth_jwt.so /usr/lib64/b3scale/plugins/libb3s_metrics_prometheus.so \
             /usr/share/fillup-templates/sysconfig.b3scale /usr/lib/sysusers.d/b3scale.conf \
             /usr/lib/systemd/system/b3scale.service /usr/share/man/man8/b3scaled.8.gz \
             /usr/share/b3scale/nginx/b3scale.conf; do
        check "rpm b3scale has $f" has_line "$server" "$f"
    done
    for f in /usr/lib64/b3scale/plugins/libb3s_recordings_filesystem.so \
             /usr/lib/systemd/system/b3scale.service.d/recordings.conf /usr/share/b3scale/bbb/post_publish_b3scale.rb; do
        check "rpm b3scale-recordings has $f" has_line "$recordings" "$f"
    done
    for f in /usr/bin/b3scalectl /usr/share/man/man1/b3scalectl.1.gz; do
        check "rpm b3scalectl has $f" has_line "$ctl" "$f"
    done
    for f in /usr/bin/b3scaleagent /usr/lib/systemd/system/b3scaleagent.service \
             /usr/share/fillup-templates/sysconfig.b3scaleagent /usr/share/man/man8/b3scaleagent.8.gz; do
        check "rpm b3scaleagent has $f" has_line "$agent" "$f"
    done
    check "rpm b3scale has no recordings plugin" bash -c '! grep -q recordings <<<"$1"' _ "$server"
    check "no rpm installs under /usr/local, /usr/etc or /etc/default" \
        bash -c '! grep -qE "^/usr/local|^/usr/etc|^/etc/default" <<<"$1"' _ "$server$recordings$ctl$agent"
    # b3scaled's compiled-in plugin directory is where the package puts the plugins: the rpm's
    # b3scaled, outside its place, names the directory it looked in.
    plugin_dir_of_rpm() {
        local dir
        dir=$(mktemp -d)
        (cd "$dir" && rpm2cpio "$1" | cpio -id --quiet ./usr/bin/b3scaled)
        B3S_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
        # It exits 78 (no plugins there): only what it said counts.
        said=$(env -i B3SCALE_API_JWT_SECRET="$B3S_SECRET" B3SCALE_DB_URL="sqlite://$dir/check.db" \
            "$dir/usr/bin/b3scaled" --check-config 2>&1) || true
        grep -q 'in /usr/lib64/b3scale/plugins: none' <<<"$said"
    }
    check "b3scaled of the rpm looks for plugins in /usr/lib64/b3scale/plugins" plugin_dir_of_rpm "$(rpm_of b3scale)"

    scripts=$(rpm -qp --scripts "$(rpm_of b3scale)")
    check "rpm %pre creates the user through sysusers2shadow" has_match "$scripts" 'sysusers2shadow'
    check "rpm %pre carries the sysusers line" has_line "$scripts" 'u b3scale - "b3scale load balancer for BigBlueButton" /var/lib/b3scale'
    check "rpm %pre: service_add_pre" has_match "$scripts" 'mark-install-system-units b3scale\.service'
    check "rpm %post: service_add_post" has_match "$scripts" '[^-]install-system-units b3scale\.service'
    check "rpm %post: fillup into /etc/sysconfig/b3scale" has_match "$scripts" 'fillup -q /etc/sysconfig/b3scale /usr/share/fillup-templates/sysconfig\.b3scale'
    check "rpm %post: env file 0640 root:b3scale" has_match "$scripts" 'chmod 0640 /etc/sysconfig/b3scale'
    check "rpm %post: generates the secret from /dev/urandom" has_match "$scripts" 'head -c 32 /dev/urandom \| od -An -tx1'
    check "rpm %preun: service_del_preun" has_match "$scripts" 'remove-system-units b3scale\.service'
    check "rpm %postun: service_del_postun (restart on upgrade)" has_match "$scripts" 'mark-restart-system-units b3scale\.service'

    scripts=$(rpm -qp --scripts "$(rpm_of b3scaleagent)")
    check "rpm b3scaleagent %post: fillup into /etc/sysconfig/b3scaleagent, 0640" bash -c \
        'grep -qE "fillup -q /etc/sysconfig/b3scaleagent " <<<"$1" && grep -q "chmod 0640 /etc/sysconfig/b3scaleagent" <<<"$1"' _ "$scripts"
    check "rpm b3scaleagent: service_add_pre/post, del_preun/postun" bash -c \
        'for u in mark-install-system-units install-system-units remove-system-units mark-restart-system-units; do grep -qE "$u b3scaleagent\.service" <<<"$1" || exit 1; done' _ "$scripts"

    requires=$(rpm -qp --requires "$(rpm_of b3scale-recordings)")
    version_release=$(rpm -qp --qf '%{VERSION}-%{RELEASE}' "$(rpm_of b3scale)")
    check "b3scale-recordings requires b3scale = $version_release" has_line "$requires" "b3scale = $version_release"
    requires=$(rpm -qp --requires "$(rpm_of b3scale)")
    check "b3scale requires the Poco libraries" has_match "$requires" '^libPocoFoundation\.so\.[0-9]+\(\)\(64bit\)$'
    check "b3scale requires sysuser-shadow for %pre" has_line "$requires" 'sysuser-shadow'
    check "b3scale requires fillup for %post" has_line "$requires" 'fillup'
fi

echo "== Debian packages"
rm -rf "$out/deb"
packaging/build-deb.sh "$out/deb" >"$out/build-deb.log" 2>&1 || { tail -40 "$out/build-deb.log" >&2; fail "dpkg-buildpackage (log: $out/build-deb.log)"; }
debs=()
for p in b3scale b3scale-recordings b3scalectl b3scaleagent; do
    for f in "$out"/deb/"$p"_*.deb; do [ -e "$f" ] && debs+=("$f"); done
done
check "dpkg-buildpackage made b3scale, b3scale-recordings, b3scalectl, b3scaleagent" test ${#debs[@]} -eq 4
if [ ${#debs[@]} -ne 4 ]; then
    echo "package-test: $passed passed, $failed failed (no .debs to install)"
    exit 1
fi

# The CMake install (every component, DESTDIR staging) gives exactly the packages' files.
stage=$(mktemp -d)
DESTDIR="$stage" cmake --install build-deb --prefix /usr >/dev/null
staged=$(cd "$stage" && find . \( -type f -o -type l \) | sed 's|^\.||' | sed -E 's/\.([18])$/.\1.gz/' | sort)
packaged=$(for d in "${debs[@]}"; do dpkg-deb -c "$d"; done | awk '$1 !~ /^d/ { print $6 }' | sed 's|^\.||' |
    grep -v '^/usr/share/doc/' | sort)
check "cmake --install gives the packages' files" test "$staged" = "$packaged"
[ "$staged" = "$packaged" ] || diff <(echo "$staged") <(echo "$packaged") >&2 || true
check "the staged env files are 0640" test "$(stat -c %a "$stage/etc/default/b3scale" "$stage/etc/default/b3scaleagent" | sort -u)" = 640
rm -rf "$stage"
refuses_other_prefix() {
    local msg
    if msg=$(DESTDIR="$(mktemp -d)" cmake --install build-deb --prefix /opt/b3scale 2>&1); then return 1; fi
    grep -q "configured for prefix /usr" <<<"$msg"
}
check "cmake --install to another prefix than the configured one is refused" refuses_other_prefix

# A clean machine: no b3scale installed before.
dpkg --purge b3scale-recordings b3scalectl b3scaleagent b3scale >/dev/null 2>&1 || true
install_log=$(dpkg -i "${debs[@]}" 2>&1) && rc=0 || rc=$?
check "dpkg -i b3scale b3scale-recordings b3scalectl b3scaleagent" test "$rc" = 0
[ "$rc" = 0 ] || echo "$install_log" >&2

env_file=/etc/default/b3scale
check "$env_file is 0640 root:b3scale" test "$(stat -c '%a %U %G' "$env_file" 2>/dev/null)" = "640 root b3scale"
check "$env_file has a generated 64-hex-character secret" grep -qE '^B3SCALE_API_JWT_SECRET=[0-9a-f]{64}$' "$env_file"
secret=$(sed -n 's/^B3SCALE_API_JWT_SECRET=//p' "$env_file")
check "the installation never printed the secret" bash -c '! grep -qF -- "$1" <<<"$2"' _ "${secret:-none}" "$install_log"
check "system user b3scale (home /var/lib/b3scale, no login)" bash -c \
    'getent passwd b3scale | grep -qE "^b3scale:x:[0-9]{1,3}:[0-9]+:.*:/var/lib/b3scale:/(usr/)?s?bin/(nologin|false)$"'
for page in /usr/share/man/man8/b3scaled.8.gz /usr/share/man/man1/b3scalectl.1.gz /usr/share/man/man8/b3scaleagent.8.gz; do
    check "$page installed" test -f "$page"
done
unit=$(pkg-config --variable=systemdsystemunitdir systemd)/b3scale.service
check "$unit installed, with the recordings drop-in" test -f "$unit" -a -f "$unit.d/recordings.conf"
verify=$(systemd-analyze verify "$unit" 2>&1) && rc=0 || rc=$?
check "systemd-analyze verify b3scale.service (and its drop-in)${verify:+: $verify}" test "$rc" = 0 -a -z "$verify"

echo "== b3scaleagent"
agent_unit=$(pkg-config --variable=systemdsystemunitdir systemd)/b3scaleagent.service
agent_env=/etc/default/b3scaleagent
check "$agent_env is 0640 root:root" test "$(stat -c '%a %U %G' "$agent_env" 2>/dev/null)" = "640 root root"
verify=$(systemd-analyze verify "$agent_unit" 2>&1) && rc=0 || rc=$?
check "systemd-analyze verify b3scaleagent.service${verify:+: $verify}" test "$rc" = 0 -a -z "$verify"
check "b3scaleagent.service is not enabled by the package (it needs a token first)" \
    test ! -e /etc/systemd/system/multi-user.target.wants/b3scaleagent.service
check "b3scaleagent --help names B3SCALE_API_ACCESS_TOKEN" bash -c '/usr/bin/b3scaleagent --help | grep -q B3SCALE_API_ACCESS_TOKEN'
# As the unit would run it on a machine without BBB: the packaged env file, no token yet.
unconfigured() {
    local rc=0
    (set -a; . "$agent_env"; set +a; exec /usr/bin/b3scaleagent) >/dev/null 2>&1 || rc=$?
    test "$rc" = 78
}
check "b3scaleagent with the packaged env file (no token yet) exits 78 (the unit does not restart it)" unconfigured

echo "== b3scaled as the unit starts it"
# What systemd would do: the unit's EnvironmentFile= and Environment=, its StateDirectory=,
# User=/Group=, ExecStartPre= (the migration), then ExecStart=, on a free loopback port.
unit_value() { sed -n "s/^$1=//p" "$unit" "$unit.d"/*.conf; }
state_mode=$(unit_value StateDirectoryMode | tail -1)
install -d -o b3scale -g b3scale -m "${state_mode:-0755}" /var/lib/$(unit_value StateDirectory | tail -1)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$out/b3scaled.log
# Runs in a subshell of its own (call it with & or inside ( )): it ends in exec.
run_as_unit() {
    set -a
    while read -r f; do
        f=${f#-}
        [ -r "$f" ] && . "$f"
    done < <(unit_value EnvironmentFile)
    while read -r e; do [ -n "$e" ] && eval "export $e"; done < <(unit_value Environment)
    export STATE_DIRECTORY=/var/lib/$(unit_value StateDirectory | tail -1)
    export B3SCALE_LISTEN_HTTP=127.0.0.1:$port B3SCALE_LOG_FORMAT=plain
    set +a
    cd /
    exec setpriv --reuid="$(unit_value User)" --regid="$(unit_value Group)" --init-groups -- "$@"
}
migrate=$(unit_value ExecStartPre | head -1)
migrate_as_unit() { (run_as_unit ${migrate#[-+!]}) >"$log" 2>&1; }
check "ExecStartPre ($migrate) as user b3scale" migrate_as_unit
run_as_unit $(unit_value ExecStart | head -1) >>"$log" 2>&1 &
b3scaled_pid=$!
ready=no
for _ in $(seq 1 60); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ]; then ready=yes; break; fi
    kill -0 "$b3scaled_pid" 2>/dev/null || break
    sleep 0.5
done
check "b3scaled (user b3scale, embedded store) answers /readyz 200 on 127.0.0.1:$port" test "$ready" = yes
[ "$ready" = yes ] || tail -20 "$log" >&2
check "the embedded store is in /var/lib/b3scale, 0600" test "$(stat -c '%a %U' /var/lib/b3scale/b3scale.db 2>/dev/null)" = "600 b3scale"
check "b3scaled's log has no secret" bash -c '! grep -qF -- "$1" "$2"' _ "${secret:-none}" "$log"
if [ -f packaging/tests/nginx-check.sh ]; then
    check "packaging/tests/nginx-check.sh 127.0.0.1:$port" bash packaging/tests/nginx-check.sh "127.0.0.1:$port"
else
    echo "  (no packaging/tests/nginx-check.sh: nginx in front not checked)"
fi
kill -TERM "$b3scaled_pid"
wait "$b3scaled_pid" && rc=0 || rc=$?
b3scaled_pid=""
check "b3scaled stops on SIGTERM with status 0" test "$rc" = 0

echo "== upgrade path, removal, purge"
# The operator changes the env file; installing the packages again keeps it as it is.
sed -i 's/^#B3SCALE_LOG_LEVEL=info$/B3SCALE_LOG_LEVEL=debug/' "$env_file"
before=$(sha256sum "$env_file")
echo "B3SCALE_API_URL=https://b3scale.example.org" >>"$agent_env"
agent_before=$(sha256sum "$agent_env")
reinstall_log=$(dpkg -i "${debs[@]}" 2>&1) && rc=0 || rc=$?
check "dpkg -i again (upgrade path)" test "$rc" = 0
[ "$rc" = 0 ] || echo "$reinstall_log" >&2
check "the upgrade kept the operator's env file (and its secret)" test "$(sha256sum "$env_file")" = "$before"
check "the upgrade kept B3SCALE_LOG_LEVEL=debug" grep -qx 'B3SCALE_LOG_LEVEL=debug' "$env_file"
check "$env_file still 0640 root:b3scale" test "$(stat -c '%a %U %G' "$env_file")" = "640 root b3scale"
check "the upgrade kept the agent's env file" test "$(sha256sum "$agent_env")" = "$agent_before"
dpkg -r b3scale-recordings b3scalectl b3scaleagent b3scale >/dev/null
check "dpkg -r keeps /var/lib/b3scale" test -f /var/lib/b3scale/b3scale.db
check "dpkg -r keeps $env_file" test -f "$env_file"
dpkg --purge b3scale-recordings b3scalectl b3scaleagent b3scale >/dev/null 2>&1
check "dpkg --purge deletes /var/lib/b3scale" test ! -e /var/lib/b3scale
check "dpkg --purge deletes $env_file" test ! -e "$env_file"

elapsed=$(($(date +%s) - started))
echo
echo "package-test summary (${elapsed}s; packages in $out):"
for f in "${failures[@]}"; do echo "  FAILED: $f"; done
echo "package-test: $passed passed, $failed failed"
[ "$failed" = 0 ]

#!/usr/bin/env bash
# Installs the Debian 12 packages b3scale needs to build, run and test, if any is missing.
# Usage: scripts/install-deps.sh [--runtime-only | --packaging]
#   --packaging: also what scripts/package-test.sh needs (rpm, rpmlint, debhelper, groff …)
set -euo pipefail

packages=(cmake g++ ninja-build pkg-config git ca-certificates
          libpoco-dev libboost-dev libfmt-dev libpq-dev libsqlite3-dev libsystemd-dev)
if [ "${1:-}" != "--runtime-only" ]; then
    packages+=(libgtest-dev postgresql python3 curl procps util-linux prometheus nginx-light ruby ccache redis-server)
fi
if [ "${1:-}" = "--packaging" ]; then
    # rpm builds the openSUSE rpms (rpm2cpio + cpio to look inside), debhelper the .debs;
    # groff/man-db check the man pages, systemd verifies the unit and creates the user.
    packages+=(rpm rpmlint cpio debhelper dpkg-dev fakeroot groff man-db systemd)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update
    # The tests need promtool from the prometheus package, not a Prometheus server: keep the
    # package scripts from starting services while installing (a policy-rc.d of our own,
    # only if there is none).
    policy=/usr/sbin/policy-rc.d
    own_policy=no
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
        $SUDO chmod 755 "$policy"
        own_policy=yes
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
    if [ "$own_policy" = yes ]; then $SUDO rm -f "$policy"; fi
fi

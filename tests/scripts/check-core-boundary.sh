#!/usr/bin/env bash
# core/ knows plugins only through the SDK: it includes nothing from plugins/ and names no
# concrete plugin except as a documented default in core_settings.cpp.
set -euo pipefail
root=${1:?usage: check-core-boundary.sh <source dir>}
fail=0
if grep -rn --include='*.?pp' -E '#include *[<"](\.\./)*plugins/' "$root/core"; then
    echo "core/ includes a file from plugins/"; fail=1
fi
names=$(find "$root/plugins" -mindepth 2 -maxdepth 2 -type d -printf '%f\n' | sort -u)
for name in $names; do
    # A quoted name in code (comments excepted) is how core would dispatch on a plugin.
    if grep -rn --include='*.?pp' "\"$name\"" "$root/core" | grep -v -E '^[^:]+:[0-9]+: *//' \
        | grep -v 'core/src/config/core_settings.cpp'; then
        echo "core/ names the plugin '$name' outside core_settings.cpp"; fail=1
    fi
done
[ $fail = 0 ] && echo "core/ names no plugin"
exit $fail

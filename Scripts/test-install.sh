#!/bin/bash
# The offline install, tested for real: a clean Debian root made with debootstrap (minbase + systemd, as on a
# server) in a folder, the bundle
# installed inside it with the network cut (a new network namespace with only loopback), then `medlocal serve`
# started there as the service user answers /healthz and scans a note; install.sh run a second time upgrades in
# place (settings, key and data kept; a pre-upgrade backup taken). Needs root, debootstrap and a built bundle
# (`make dist`). The clean root is made once from the host's configured Debian mirror and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE=$(ls -t dist/medlocal-*-linux-x86_64.tar.gz | head -1)
NAME=$(basename "$BUNDLE" .tar.gz)
WORKDIR=.build/test-install
PRISTINE=$WORKDIR/bookworm-minbase-systemd
ROOT=$WORKDIR/root
PORT=7860
say() { echo "test-install: $*"; }

if [ ! -f "$PRISTINE/.complete" ]; then
    mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
    [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list)
    say "debootstrap --variant=minbase --include=systemd bookworm from the host's configured mirror (once)"
    rm -rf "$PRISTINE"
    debootstrap --variant=minbase --include=systemd bookworm "$PRISTINE" "$mirror" > "$WORKDIR/debootstrap.log" 2>&1 \
        || { tail -20 "$WORKDIR/debootstrap.log"; exit 1; }
    touch "$PRISTINE/.complete"
fi
say "fresh copy of the clean root"
rm -rf "$ROOT"
cp -a "$PRISTINE" "$ROOT"
tar -C "$ROOT/tmp" -xzf "$BUNDLE"

export ROOT NAME PORT
unshare --net --mount --fork bash -euo pipefail <<'INSIDE'
say() { echo "test-install: $*"; }
mount --make-rprivate /
ip link set lo up
mount -t proc proc "$ROOT/proc"
mount --rbind /dev "$ROOT/dev"
say "network inside: $(ip -o link | awk -F': ' '{ printf "%s ", $2 }')(no route out: $(ip route | wc -l) routes)"

say "install.sh (first install, offline)"
chroot "$ROOT" "/tmp/$NAME/install.sh" 2>&1 | sed 's/^/  | /'

[ -L "$ROOT/etc/systemd/system/multi-user.target.wants/medlocal.service" ] || { echo "the service was not enabled"; exit 1; }
verify=$(systemd-analyze verify --root "$ROOT" /etc/systemd/system/medlocal.service 2>&1) || { echo "$verify"; exit 1; }
[ -z "$verify" ] || { echo "systemd-analyze: $verify"; exit 1; }
say "service enabled; systemd-analyze verify of the installed unit: clean; $(cat "$ROOT/etc/systemd/system/medlocal.service.d/memory.conf" | tail -1)"

serve() {
    chroot "$ROOT" runuser -u medlocal -- env MEDLOCAL_CONFIG=/etc/medlocal/medlocal.yaml /usr/local/bin/medlocal serve \
        > "$ROOT/tmp/serve.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return 0; sleep 0.5; done
    cat "$ROOT/tmp/serve.log"; return 1
}
serve
say "GET /healthz → $(curl -s "http://127.0.0.1:$PORT/healthz")"
admin=$(grep -o 'mlk_[A-Za-z0-9_-]*' "$ROOT/tmp/serve.log" | head -1)
[ -n "$admin" ] || { echo "no first-admin key printed"; exit 1; }
scan=$(curl -s -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
       -d '{"text":"患者姓名：欧阳建华  住院号：ZY20250318077  联系电话：139-0731-2468"}' "http://127.0.0.1:$PORT/api/v1/phi/scan")
say "POST /api/v1/phi/scan → $(echo "$scan" | grep -o '"type":"[A-Z_]*"' | tr '\n' ' ')"
echo "$scan" | grep -q '"type":"PERSON"' && echo "$scan" | grep -q '"type":"MEDICAL_RECORD_NUMBER"' || { echo "scan failed: $scan"; exit 1; }
echo "$scan" | grep -q '欧阳建华' && { echo "the scan echoed a value"; exit 1; }
kill -TERM "$SERVER"; wait "$SERVER" || true

key_before=$(sha256sum "$ROOT/etc/medlocal/key" | cut -d' ' -f1)
say "install.sh again (in-place upgrade)"
chroot "$ROOT" "/tmp/$NAME/install.sh" 2>&1 | sed 's/^/  | /'
[ "$(sha256sum "$ROOT/etc/medlocal/key" | cut -d' ' -f1)" = "$key_before" ] || { echo "the key changed"; exit 1; }
ls "$ROOT"/var/backups/medlocal/ | grep -q '^pre-upgrade-' || { echo "no pre-upgrade backup"; exit 1; }
say "key kept, pre-upgrade backup: $(ls "$ROOT"/var/backups/medlocal/)"
serve
users=$(chroot "$ROOT" runuser -u medlocal -- env MEDLOCAL_CONFIG=/etc/medlocal/medlocal.yaml /usr/local/bin/medlocal users list)
echo "$users" | grep -q admin || { echo "the upgrade lost the users"; exit 1; }
curl -sf -H "Authorization: Bearer $admin" "http://127.0.0.1:$PORT/api/v1/audit/verify" >/dev/null \
    || curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $admin" "http://127.0.0.1:$PORT/api/v1/audit/verify"
say "after the upgrade the old admin key still works: GET /healthz → $(curl -s "http://127.0.0.1:$PORT/healthz"), audit chain: $(curl -s -H "Authorization: Bearer $admin" "http://127.0.0.1:$PORT/api/v1/audit/verify" | head -c 120)"
kill -TERM "$SERVER"; wait "$SERVER" || true
say "passed"
INSIDE

#!/bin/bash
# The offline install, tested for real: a clean Debian root made with debootstrap (minbase + systemd, as on a
# server) in a folder, the bundle
# installed inside it with the network cut (a new network namespace with only loopback), then `medlocal serve`
# started there as the service user answers /healthz and scans a note; install.sh run a second time upgrades in
# place (settings, key and data kept; a pre-upgrade backup taken). Last, the same root is booted under its own
# systemd (systemd-nspawn, private network): the enabled unit must start the server as `medlocal` with its
# hardening in force. Needs root, debootstrap, systemd-nspawn and a built bundle (`make dist`). The clean root is
# made once from the host's configured Debian mirror and reused.
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
verify=$(curl -s -H "Authorization: Bearer $admin" "http://127.0.0.1:$PORT/api/v1/audit/verify")
echo "$verify" | grep -q '"valid":true' || { echo "the audit chain does not verify after the upgrade: $verify"; exit 1; }
say "after the upgrade the old admin key still works: GET /healthz → $(curl -s "http://127.0.0.1:$PORT/healthz"), audit chain: $(echo "$verify" | head -c 120)"
kill -TERM "$SERVER"; wait "$SERVER" || true
INSIDE

# Booted under systemd: a one-shot unit inside the root asks /healthz, then reads what the service runs as and
# what it may write (through its own mount namespace), and powers the container off.
cat > "$ROOT/usr/local/sbin/medlocal-check" <<'CHECK'
#!/bin/bash
out=/root/check.out
for _ in $(seq 120); do (exec 3<>/dev/tcp/127.0.0.1/7860) 2>/dev/null && break; sleep 0.5; done
exec 3<>/dev/tcp/127.0.0.1/7860
printf 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
timeout 5 cat <&3 | tail -1 | sed 's/^/healthz: /' > $out
echo >> $out
pid=$(systemctl show -p MainPID --value medlocal)
systemctl show medlocal -p ActiveState -p User -p MemoryMax >> $out
grep -E "^(Uid|NoNewPrivs|CapEff):" /proc/$pid/status | tr -s '\t' ' ' >> $out
probe() { nsenter --target "$pid" --mount --setuid "$(id -u medlocal)" --setgid "$(id -g medlocal)" -- touch "$1" 2>/dev/null && echo "$2 writable" || echo "$2 read-only"; }
probe /etc/medlocal/.probe "service view of /etc:" >> $out
probe /var/lib/medlocal/.probe "service view of the data folder:" >> $out
nsenter --target "$pid" --mount --setuid "$(id -u medlocal)" --setgid "$(id -g medlocal)" -- ls /home >/dev/null 2>&1 && echo "service view of /home: visible" >> $out || echo "service view of /home: hidden" >> $out
systemctl poweroff
CHECK
chmod 0755 "$ROOT/usr/local/sbin/medlocal-check"
cat > "$ROOT/etc/systemd/system/medlocal-check.service" <<'UNIT'
[Unit]
Description=test-install: check medlocal under systemd
After=medlocal.service
Requires=medlocal.service
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/medlocal-check
[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/medlocal-check.service "$ROOT/etc/systemd/system/multi-user.target.wants/medlocal-check.service"
say "booting the root under its own systemd (systemd-nspawn --private-network)"
timeout 300 systemd-nspawn -D "$ROOT" --boot --private-network --register=no --keep-unit --quiet > "$WORKDIR/nspawn.log" 2>&1 \
    || { tail -20 "$WORKDIR/nspawn.log"; echo "the container did not boot and power off"; exit 1; }
sed 's/^/  | /' "$ROOT/root/check.out"
grep -q '^healthz: {"status":"ok"}' "$ROOT/root/check.out" || { echo "the service did not answer"; exit 1; }
for expected in "ActiveState=active" "User=medlocal" "NoNewPrivs: 1" "CapEff: 0000000000000000" "of /etc: read-only" \
                "of the data folder: writable" "of /home: hidden"; do
    grep -q "$expected" "$ROOT/root/check.out" || { echo "under systemd: expected '$expected'"; exit 1; }
done
say "passed (under systemd too)"

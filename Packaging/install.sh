#!/bin/bash
# MedLocal installer and in-place upgrader, run as root from the unpacked bundle:
#
#   ./install.sh [--use-apt-sources] [--no-start] [--prefix /opt/medlocal]
#
# Installs the Debian packages MedLocal needs from the bundle's own debs/ folder (no network needed; with
# --use-apt-sources, from the host's configured mirror instead), creates the `medlocal` system user, the data
# folder /var/lib/medlocal (0700), /etc/medlocal/medlocal.yaml (commented defaults) and a project key
# /etc/medlocal/key on first install only, installs this release under PREFIX/releases/VERSION with PREFIX/current
# pointing at it, and enables the systemd service. Re-running it (or a newer bundle's install.sh) upgrades in place:
# data, settings and key are kept, and the data folder is backed up by the old release first.
set -euo pipefail

BUNDLE=$(cd "$(dirname "$0")" && pwd)
VERSION=$(cat "$BUNDLE/VERSION")
PREFIX=/opt/medlocal
USE_APT_SOURCES=no
START=yes
while [ $# -gt 0 ]; do
    case "$1" in
        --use-apt-sources) USE_APT_SOURCES=yes ;;
        --no-start) START=no ;;
        --prefix) PREFIX=$2; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 1 ;;
    esac
    shift
done
ETC=/etc/medlocal
CONFIG=$ETC/medlocal.yaml
BACKUPS=/var/backups/medlocal
say() { echo "medlocal install: $*"; }
die() { echo "medlocal install: $*" >&2; exit 1; }
# A top-level setting's value from medlocal.yaml (empty when the file or the key is absent).
setting() {
    [ -f "$CONFIG" ] || return 0
    sed -n "s/^$1:[[:space:]]*//p" "$CONFIG" | tail -1 | sed 's/[[:space:]]*#.*//; s/^"\(.*\)"$/\1/'
}

[ "$(id -u)" = 0 ] || die "run me as root (sudo ./install.sh)"
[ "$(uname -m)" = x86_64 ] || die "this bundle is for x86_64; this machine is $(uname -m)"

say "checking the bundle against its manifest"
(cd "$BUNDLE" && sha256sum --quiet -c MANIFEST.sha256) || die "the bundle is damaged: a file does not match MANIFEST.sha256"

# 1. Debian packages, only those missing; never a downgrade (apt decides).
missing=$(while read -r package; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || echo "$package"
done < "$BUNDLE/debs/runtime-packages.txt")
if [ -n "$missing" ]; then
    say "installing Debian packages:" $missing "(log: /var/log/medlocal-install.log)"
    if [ "$USE_APT_SOURCES" = yes ]; then
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing; } \
            >> /var/log/medlocal-install.log 2>&1 || die "apt-get could not install the packages (see /var/log/medlocal-install.log)"
    else
        lists=$(mktemp -d)
        trap 'rm -rf "$lists"' EXIT
        echo "deb [trusted=yes] file:$BUNDLE/debs ./" > "$lists/bundle.list"
        apt_local=(-o "Dir::Etc::SourceList=$lists/bundle.list" -o "Dir::Etc::SourceParts=$lists/none" -o "Dir::State::Lists=$lists"
                   -o "APT::Get::List-Cleanup=0" -o "Acquire::Languages=none")
        mkdir -p "$lists/partial" "$lists/none"
        { apt-get "${apt_local[@]}" update -qq && DEBIAN_FRONTEND=noninteractive apt-get "${apt_local[@]}" install -y -qq --no-install-recommends $missing; } \
            >> /var/log/medlocal-install.log 2>&1 || die "the bundle's packages could not be installed (see /var/log/medlocal-install.log)"
    fi
fi

# 2. The service user and the folders it owns.
if ! getent passwd medlocal >/dev/null; then
    say "creating the system user medlocal"
    useradd --system --user-group --home-dir /var/lib/medlocal --no-create-home --shell /usr/sbin/nologin medlocal
fi
DATA=$(setting data_dir); DATA=${DATA:-/var/lib/medlocal}
KEY=$(setting key_file); KEY=${KEY:-$ETC/key}
install -d -m 0700 -o medlocal -g medlocal "$DATA"
install -d -m 0750 -o root -g medlocal "$ETC"
install -d -m 0700 -o medlocal -g medlocal "$BACKUPS"

# 3. Upgrade: stop the service and back up the data folder with the release that wrote it.
previous=""
if [ -L "$PREFIX/current" ]; then
    previous=$(basename "$(readlink -f "$PREFIX/current")")
    if [ -d /run/systemd/system ] && systemctl is-active --quiet medlocal; then
        say "stopping the running service (running jobs finish first)"
        systemctl stop medlocal
    fi
    if [ -f "$DATA/medlocal.sqlite" ] && [ -f "$KEY" ]; then
        backup="$BACKUPS/pre-upgrade-$previous-to-$VERSION-$(date -u +%Y%m%dT%H%M%SZ)"
        say "backing up $DATA into $backup (release $previous)"
        runuser -u medlocal -- env MEDLOCAL_CONFIG="$CONFIG" "$PREFIX/current/bin/medlocal" backup "$backup" --data-dir "$DATA" --key-file "$KEY" \
            || die "the pre-upgrade backup failed; nothing was changed"
    fi
fi

# 4. This release, switched in with one rename; older releases stay for rollback.
install -d -m 0755 "$PREFIX/releases"
staging="$PREFIX/releases/.$VERSION.new"
rm -rf "$staging"
mkdir -p "$staging"
cp -a "$BUNDLE/bin" "$BUNDLE/lib" "$BUNDLE/share" "$BUNDLE/licenses" "$BUNDLE/VERSION" "$staging/"
chown -R root:root "$staging"
chmod -R go-w "$staging"
if [ -d "$PREFIX/releases/$VERSION" ]; then rm -rf "$PREFIX/releases/.$VERSION.old"; mv "$PREFIX/releases/$VERSION" "$PREFIX/releases/.$VERSION.old"; fi
mv "$staging" "$PREFIX/releases/$VERSION"
rm -rf "$PREFIX/releases/.$VERSION.old"
ln -sfn "releases/$VERSION" "$PREFIX/current.new"
mv -T "$PREFIX/current.new" "$PREFIX/current"
ln -sfn "$PREFIX/current/bin/medlocal" /usr/local/bin/medlocal

# 5. Settings and key: written once, never overwritten.
if [ ! -f "$CONFIG" ]; then
    install -m 0640 -o root -g medlocal "$BUNDLE/share/medlocal/medlocal.yaml" "$CONFIG"
    say "wrote $CONFIG (commented defaults)"
else
    install -m 0640 -o root -g medlocal "$BUNDLE/share/medlocal/medlocal.yaml" "$CONFIG.dist"
    say "kept $CONFIG (this release's defaults are in $CONFIG.dist)"
fi
if [ ! -e "$KEY" ]; then
    "$PREFIX/current/bin/medlocal" keygen -o "$KEY" >/dev/null
    chown medlocal:medlocal "$KEY"
    chmod 0600 "$KEY"
    say "generated the project key $KEY — make an escrow copy now: medlocal key export --passphrase-file FILE -o ESCROW"
else
    say "kept the project key $KEY"
fi

# 6. The systemd unit, its memory limit from the settings, enabled (and started when systemd runs here).
sed "s#@PREFIX@#$PREFIX/current#g" "$BUNDLE/share/medlocal/medlocal.service" > /etc/systemd/system/medlocal.service.tmp
mv /etc/systemd/system/medlocal.service.tmp /etc/systemd/system/medlocal.service 2>/dev/null \
    || { mkdir -p /etc/systemd/system && mv /etc/systemd/system/medlocal.service.tmp /etc/systemd/system/medlocal.service; }
memory=$(setting memory_max)
mkdir -p /etc/systemd/system/medlocal.service.d
printf '[Service]\nMemoryMax=%s\n' "${memory:-infinity}" > /etc/systemd/system/medlocal.service.d/memory.conf
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable --quiet medlocal
    if [ "$START" = yes ]; then systemctl restart medlocal; say "service medlocal started (journalctl -u medlocal)"; fi
elif command -v systemctl >/dev/null; then
    systemctl enable --quiet medlocal 2>/dev/null || true
    say "systemd is not running here: start the server with  runuser -u medlocal -- medlocal serve"
else
    say "no systemd here: start the server with  runuser -u medlocal -- env MEDLOCAL_CONFIG=$CONFIG medlocal serve"
fi

# 7. What an operator checks first.
runuser -u medlocal -- env MEDLOCAL_CONFIG="$CONFIG" "$PREFIX/current/bin/medlocal" doctor || say "doctor found problems (above)"
say "installed MedLocal $VERSION in $PREFIX/releases/$VERSION${previous:+ (upgraded from $previous)}; settings $CONFIG, data $DATA"

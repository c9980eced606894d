#!/bin/bash
# Builds the offline install bundle: dist/medlocal-VERSION-linux-x86_64.tar.gz and its .sha256.
#
# The bundle holds the release binary (Swift runtime linked in statically) with its resource bundles, what
# `make deps` installed (ONNX Runtime, the converted backbone), the policy presets, the systemd unit, commented
# settings, install.sh, every licence, a folder of the Debian packages MedLocal needs at run time with their
# dependencies (an apt repository install.sh uses when the host has no mirror), and MANIFEST.sha256 of every file.
#
# Usage: Scripts/make-dist.sh [SCRATCH]   (SCRATCH: the release build folder, default .build-dist)
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${1:-.build-dist}
BIN="$SCRATCH/release/medlocal"

echo "make-dist: building the release binary (static Swift runtime) in $SCRATCH"
swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" --product medlocal 2>&1 | grep -E "error|warning: unre|Compiling medlocal|Build complete" || true
[ -x "$BIN" ] || { echo "make-dist: no binary at $BIN" >&2; exit 1; }
VERSION=$("$BIN" --version)
NAME="medlocal-$VERSION-linux-x86_64"
STAGE="dist/$NAME"
rm -rf "$STAGE" "dist/$NAME.tar.gz" "dist/$NAME.tar.gz.sha256"
mkdir -p "$STAGE"/{bin,lib/medlocal,share/medlocal/presets,licenses,debs}

echo "make-dist: assembling $STAGE"
echo "$VERSION" > "$STAGE/VERSION"
cp "$BIN" "$STAGE/bin/medlocal"
strip "$STAGE/bin/medlocal"
for bundle in "$SCRATCH"/release/*.resources; do cp -a "$bundle" "$STAGE/bin/"; done
mkdir -p "$STAGE/lib/medlocal/onnxruntime/lib" "$STAGE/lib/medlocal/models"
cp .deps/onnxruntime/lib/libonnxruntime.so.* "$STAGE/lib/medlocal/onnxruntime/lib/"
cp .deps/models/efficientnet-lite0.onnx "$STAGE/lib/medlocal/models/"
cp Sources/Policy/Resources/presets/*.yaml "$STAGE/share/medlocal/presets/"
cp Packaging/medlocal.service Packaging/medlocal.yaml Packaging/INSTALL.md "$STAGE/share/medlocal/"
cp Packaging/install.sh "$STAGE/install.sh"
chmod 0755 "$STAGE/install.sh" "$STAGE/bin/medlocal"

# Licences: MedLocal's own, what is linked in statically (MuPDF, the Swift runtime, the Swift packages), what is
# shipped as a file (ONNX Runtime, EfficientNet-Lite0 weights) and the OCR engine; the .deb files carry their own.
cp LICENSE "$STAGE/licenses/MedLocal-AGPL-3.0-or-later.txt"
cp /usr/share/doc/libmupdf-dev/copyright "$STAGE/licenses/MuPDF-copyright.txt"
cp /usr/share/doc/libtesseract5/copyright "$STAGE/licenses/Tesseract-copyright.txt"
cp /usr/share/doc/liblept5/copyright "$STAGE/licenses/Leptonica-copyright.txt"
cp .deps/onnxruntime/LICENSE "$STAGE/licenses/ONNXRuntime-LICENSE.txt"
cp .deps/onnxruntime/ThirdPartyNotices.txt "$STAGE/licenses/ONNXRuntime-ThirdPartyNotices.txt"
cp .deps/lite0/LICENSE "$STAGE/licenses/EfficientNet-Lite0-weights-LICENSE.txt"
swift_root=$(dirname "$(dirname "$(command -v swift)")")
cp "$swift_root/share/swift/LICENSE.txt" "$STAGE/licenses/Swift-runtime-LICENSE.txt"
for checkout in "$SCRATCH"/checkouts/*; do
    for licence in "$checkout"/LICENSE* "$checkout"/LICENCE* "$checkout"/COPYING*; do
        [ -f "$licence" ] && cp "$licence" "$STAGE/licenses/swift-package-$(basename "$checkout")-$(basename "$licence")"
    done
done

# Debian packages: those providing every shared library the binary and ONNX Runtime load, plus the OCR language
# data; then their dependency closure, downloaded into an apt repository folder.
{
    for object in "$STAGE/bin/medlocal" "$STAGE"/lib/medlocal/onnxruntime/lib/libonnxruntime.so.*; do
        ldd "$object" | awk '/=> \// { print $3 }'
    done | sort -u | while read -r library; do
        dpkg -S "$(readlink -f "$library")" 2>/dev/null || dpkg -S "$library" 2>/dev/null || true
    done | cut -d: -f1 | sort -u
    printf '%s\n' tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-osd ca-certificates
} | sort -u > "$STAGE/debs/runtime-packages.txt"
echo "make-dist: runtime packages: $(tr '\n' ' ' < "$STAGE/debs/runtime-packages.txt")"
closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances \
          $(cat "$STAGE/debs/runtime-packages.txt") | grep -E '^[a-z0-9]' | sort -u)
(cd "$STAGE/debs" && apt-get download -qq $closure 2>/dev/null) || {
    apt-get update -qq
    (cd "$STAGE/debs" && apt-get download -qq $closure)
}
(cd "$STAGE/debs" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null > Packages)
echo "make-dist: $(ls "$STAGE"/debs/*.deb | wc -l) Debian packages ($(du -sh "$STAGE/debs" | cut -f1))"

(cd "$STAGE" && find . -type f ! -name MANIFEST.sha256 -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum > MANIFEST.sha256)
tar -C dist -czf "dist/$NAME.tar.gz" "$NAME"
(cd dist && sha256sum "$NAME.tar.gz" > "$NAME.tar.gz.sha256")
echo "make-dist: dist/$NAME.tar.gz ($(du -h "dist/$NAME.tar.gz" | cut -f1)), sha256 $(cut -d' ' -f1 "dist/$NAME.tar.gz.sha256")"

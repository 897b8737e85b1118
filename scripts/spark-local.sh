#!/usr/bin/env bash
# Runs a main class of the spark module in a plain JVM (no spark-submit): builds core and spark, resolves the
# Spark classpath (provided scope, from the local Maven repository) and adds the JVM flags Spark's launcher
# would add (the same list as the module's surefire argLine). Extra JVM options go in JAVA_OPTS.
# Usage: scripts/spark-local.sh [main-class] [args...]
#        (default class vecmlp.spark.example.MnistComparison; e.g. --master 'local[2]' --epochs 5)
set -euo pipefail
cd "$(dirname "$0")/.."

CLASS="${1:-vecmlp.spark.example.MnistComparison}"
[ $# -gt 0 ] && shift
CP_FILE=spark/target/run-classpath.txt
mvn -B -ntp -q -pl spark -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$CP_FILE" -Dmdep.includeScope=test >/dev/null
FLAGS=$(sed -n '/<vecmlp.spark.flags>/,/<\/vecmlp.spark.flags>/p' spark/pom.xml | sed 's/<[^>]*>//g' | tr -s ' \n' ' ')
# shellcheck disable=SC2086
exec java --add-modules jdk.incubator.vector $FLAGS ${JAVA_OPTS:--Xmx8g} \
  -Dlog4j2.configurationFile=spark/src/test/resources/log4j2-test.properties \
  -cp "spark/target/classes:$(cat "$CP_FILE")" "$CLASS" "$@"

#!/usr/bin/env bash
# FreshRangeWriteBenchmark after the heap fix (fixed, pre-touched 1 GiB heap; 30 warm-up batches; 1.5 GiB file).
# Usage: run.sh JAR OUTDIR
set -u
JAR=$1; OUT=$2; mkdir -p "$OUT"
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
uptime > "$OUT/load.txt"
flock /tmp/ranged-bench.lock $J -jar "$JAR" 'FreshRangeWriteBenchmark' -f 5 -prof gc -rf json -rff "$OUT/fresh.json" \
  > "$OUT/fresh.log" 2>&1
uptime >> "$OUT/load.txt"
# The diagnosis (one fork each, per-batch times): the library's arm with the JVM's default heap, with Epsilon GC (a heap
# that is always fresh memory) and with -Xms1g -Xmx1g -XX:+AlwaysPreTouch:
F='--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED'
for g in "-XX:+UseG1GC" "-XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xms4g -Xmx4g" \
  "-Xms1g -Xmx1g -XX:+AlwaysPreTouch"; do
  $J -jar "$JAR" 'FreshRangeWriteBenchmark.splitWriteRangeOneThread' -f 1 -jvmArgsAppend "$F $g" > "$OUT/diag.log" 2>&1
  echo "$g: $(grep Iteration "$OUT/diag.log" | awk '{printf "%s ", $(NF-1)}')" >> "$OUT/diagnosis.txt"
done

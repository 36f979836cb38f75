#!/usr/bin/env bash
# Quiet figures, third 2026-11-30 session. Usage: run.sh JAR OUTDIR
set -u
JAR=$1; OUT=$2; mkdir -p "$OUT"
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
log() { echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg) $*" | tee -a "$OUT/load.txt"; }
log start
# Issue 10: writes into a store growing from 1 MiB to 4 GiB against one created at 4 GiB, 1 and 2 writers.
$J $F -jar "$JAR" GrowthWriteBenchmark -p totalMib=4096 -f 1 -rf json -rff "$OUT/growth-4g.json" > "$OUT/growth-4g.log" 2>&1
log growth done
# Issue 13: writeRange against raw putBytes in the benchmark the issue quoted (1 GiB file, 4 KiB blocks).
$J -jar "$JAR" 'MmapWriteBenchmark.(writeRange|unsafeBuffer)(One|Two)Threads' -p size=4096 -f 3 -wi 3 -i 5 \
  -prof gc -rf json -rff "$OUT/mmapwrite.json" > "$OUT/mmapwrite.log" 2>&1
log mmapwrite done
# Issue 11 (resolved) after h10-life: snapshot copy reads against PageStore.read, 6 forks an arm.
$J -jar "$JAR" 'SnapshotReadBenchmark.(storeRead|snapshotRead)$' -f 6 -rf json -rff "$OUT/snapshot.json" \
  > "$OUT/snapshot.log" 2>&1
log snapshot done
# Issue 13: the layers, cache-hot (8 MiB a thread) and fresh (128 MiB a thread).
for t in 1 2; do
  $J -jar "$JAR" 'WriteLayersBenchmark.(raw|rawMmapFile|writeRange)$' -p blocksPerThread=2048,32768 -t $t -f 2 \
    -wi 3 -i 5 -prof gc -rf json -rff "$OUT/layers-t$t.json" > "$OUT/layers-t$t.log" 2>&1
  log layers t=$t done
done
# (run separately after the above: the first pattern missed the one-thread arms, named ...OneThread)
# $J -jar "$JAR" 'MmapWriteBenchmark.(writeRange|unsafeBuffer)OneThread$' -p size=4096 -f 3 -wi 3 -i 5 -prof gc \
#   -rf json -rff "$OUT/mmapwrite-1t.json" > "$OUT/mmapwrite-1t.log" 2>&1

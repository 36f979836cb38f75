#!/usr/bin/env bash
# Quiet figures, fourth 2026-11-30 session (issue 13). Usage: quiet.sh JAR OUTDIR
set -u
JAR=$1; OUT=$2; mkdir -p "$OUT"
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
log() { echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg) $*" | tee -a "$OUT/load.txt"; }
log start
# Issue 13's own benchmark (1 GiB file, 4 KiB blocks): writeRange, raw putBytes, and raw putBytes at the offset read
# from the same cycled AllocatedRange objects.
$J -jar "$JAR" 'MmapWriteBenchmark.(writeRange|unsafeBuffer|unsafeBufferAtRange)(OneThread|TwoThreads)$' -p size=4096 \
  -f 3 -wi 3 -i 5 -prof gc -rf json -rff "$OUT/mmapwrite.json" > "$OUT/mmapwrite.log" 2>&1
log mmapwrite done
# A writer that cuts each 4 KiB range just before writing it, against a per-thread bump and putBytes.
$J -jar "$JAR" 'FreshRangeWriteBenchmark' -f 5 -prof gc -rf json -rff "$OUT/fresh.json" > "$OUT/fresh.log" 2>&1
log fresh done

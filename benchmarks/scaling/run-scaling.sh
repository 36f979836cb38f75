#!/usr/bin/env bash
# Runs the write benchmarks of MmapFile.writeRange, PageStore write and FileChannel positional write
# (io.rangedmmap.benchmarks.ScalingWriteBenchmark) at 1, 2, 4, 8 and 16 threads, using only bash and the bundle's
# own java (benchmarks/scaling/build-bundle.sh makes it). Sized to finish in under 8 minutes on a 16-core machine
# (15 JMH forks of 10 single-shot iterations; not yet timed there). Writes everything into one folder:
#   scaling-t<N>.json   JMH JSON per thread count
#   jmh.log             JMH's console output
#   machine.txt         nproc, free, df, uname, lscpu (if present), the runtime, the exact commands, wall times
#   scaling.md          the table (GiB/s at each thread count); charts: see below
#
# Usage, from the repository root: bash benchmarks/scaling/run-scaling.sh OUT_DIR   (or OUT=dir bash ...)
#   THREADS="1 2 4 8 16"   thread counts
#   JMH_OPTS="..."         JMH options (default: -f 1 -wi 2 -i 8: single-shot iterations of 64 MiB per thread)
# Files (the store is 4 GiB at 16 threads, the others 1 GiB) go to java.io.tmpdir (TMPDIR or /tmp), deleted after
# each benchmark. Charts, where a full JDK is at hand:
#   java -cp benchmarks/target/benchmarks.jar io.rangedmmap.benchmarks.report.Charts --scaling OUT_DIR OUT_DIR/scaling-t*.json
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RESULTS="${1:-${OUT:-}}"
if [ -z "$RESULTS" ]; then
    echo "usage: bash benchmarks/scaling/run-scaling.sh OUT_DIR   (or set OUT)" >&2
    exit 2
fi
JAVA="$HERE/bundle/runtime/bin/java"
JAR="$HERE/bundle/benchmarks.jar"
if [ ! -x "$JAVA" ] || [ ! -f "$JAR" ]; then
    echo "error: no bundle at $HERE/bundle: run benchmarks/scaling/build-bundle.sh first (where a JDK 25 is)" >&2
    exit 1
fi
mkdir -p "$RESULTS"
RESULTS="$(cd "$RESULTS" && pwd)"
THREADS="${THREADS:-1 2 4 8 16}"
read -r -a OPTS <<< "${JMH_OPTS:--f 1 -wi 2 -i 8}"
FLAGS=(--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED
    --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED)
TMP="${TMPDIR:-/tmp}"

{
    echo "date: $(date -Is 2>/dev/null || date)"
    echo "threads: $THREADS"
    echo "jmh options: ${OPTS[*]}"
    echo "nproc: $(nproc 2>/dev/null || echo unknown)"
    echo
    free -h 2>/dev/null || cat /proc/meminfo 2>/dev/null | head -3
    echo
    df -hT "$TMP" "$RESULTS" 2>/dev/null || df -h "$TMP" "$RESULTS"
    echo
    echo "uname: $(uname -a)"
    echo "load: $(cat /proc/loadavg 2>/dev/null)"
    echo
    if command -v lscpu >/dev/null 2>&1; then lscpu; else grep -m1 'model name' /proc/cpuinfo 2>/dev/null; fi
    echo
    "$JAVA" -version 2>&1
    cat "$HERE/bundle/BUILD-INFO.txt" 2>/dev/null
    echo
} > "$RESULTS/machine.txt"

START=$SECONDS
STATUS=0
for t in $THREADS; do
    CMD=("$JAVA" "${FLAGS[@]}" -jar "$JAR" 'io\.rangedmmap\.benchmarks\.ScalingWriteBenchmark\.' -t "$t"
        "${OPTS[@]}" -jvm "$JAVA" -jvmArgsAppend "${FLAGS[*]}" -rf json -rff "$RESULTS/scaling-t$t.json")
    echo "command: $(printf '%q ' "${CMD[@]}")" >> "$RESULTS/machine.txt"
    RUN_START=$SECONDS
    echo "=== threads=$t ===" | tee -a "$RESULTS/jmh.log"
    "${CMD[@]}" >> "$RESULTS/jmh.log" 2>&1
    RC=$?
    echo "threads=$t: rc=$RC, $((SECONDS - RUN_START)) s" | tee -a "$RESULTS/machine.txt"
    [ "$RC" = 0 ] || STATUS=$RC
    grep -E '^ScalingWriteBenchmark\.' "$RESULTS/jmh.log" | tail -3
done
echo "wall time: $((SECONDS - START)) s" | tee -a "$RESULTS/machine.txt"

JSON=()
for t in $THREADS; do
    [ -s "$RESULTS/scaling-t$t.json" ] && JSON+=("$RESULTS/scaling-t$t.json")
done
if [ "${#JSON[@]}" -gt 0 ]; then
    "$JAVA" -cp "$JAR" io.rangedmmap.benchmarks.report.ScalingTable "$RESULTS/scaling.md" "${JSON[@]}" \
        >> "$RESULTS/jmh.log" 2>&1 && cat "$RESULTS/scaling.md"
fi
exit "$STATUS"

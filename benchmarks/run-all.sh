#!/usr/bin/env bash
# Runs the whole comparison of issues 3 and 6 in one JMH run and writes the report: the page store against its
# baselines (StoreWriteBenchmark, CheckpointBenchmark, StoreOpenBenchmark) and against its peers (LMDB, FileChannel:
# DurableWriteBenchmark, RandomReadBenchmark, FirstTouchBenchmark). Measured on the 2-core VM of 2026-11-27: full run
# 555 s of JMH (limit 20 minutes), --short 201 s (limit 5 minutes), plus the build. The issue-2 mmap table is
# benchmarks/run-short.sh.
#
# Results go to benchmarks/results/<date>[-short]/:
#   jmh.json      JMH's JSON results
#   jmh.log       JMH's console output
#   store.md      the issue-3 table (targets marked ok / MISS)
#   peers.md      the issue-6 tables (saying where a peer wins)
#   report.md     both tables and the charts; *.png the charts (XChart)
#   commits.md    issue 14: durable commits of 1/8/64 pages by 1/2/4/8 writers against LMDB, SQLite (WAL),
#                 RocksDB and the FileChannel floor, with p50/p99/p99.9 latency (CommitPeers, an HdrHistogram
#                 harness run after JMH by this script: 1 s per configuration with --short, 3 s otherwise)
#   flush-probe.md issue 14: the measurements behind the one-flush checkpoint (CheckpointFlushProbe)
#   machine.txt   the machine (cores, memory, disk, kernel, load), the JDK and the exact command
#
# Usage: benchmarks/run-all.sh [--short] [extra JMH options...]
#   COMMITS_ONLY=1    skip JMH: only the issue-14 commit comparison and flush probe
#   SKIP_BUILD=1      use the benchmarks/target/benchmarks.jar already built
#   RESULTS_DIR=dir   write somewhere else
# Needs a JDK 25 ($JAVA_HOME, or /usr/lib/jvm/*25*) and Maven unless SKIP_BUILD=1. Every fork gets
# --add-opens java.base/java.nio and java.base/sun.nio.ch besides the library's two flags: lmdbjava 0.9.1 needs them
# on Java 25 (see io.rangedmmap.benchmarks.Lmdb). Files (up to 4 GiB + 8 GiB for the open benchmark) go to the
# temporary directory (java.io.tmpdir) and are deleted at the end of each benchmark.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SHORT=0
if [ "${1:-}" = "--short" ]; then
    SHORT=1
    shift
fi

JDK=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    if "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
        JDK="$candidate"
        break
    fi
done
if [ -z "$JDK" ]; then
    echo "error: no JDK 25 found: set JAVA_HOME to a JDK 25 or newer and run this again." >&2
    exit 1
fi
JAVA="$JDK/bin/java"
FLAGS=(--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED
    --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED)

if [ "${SKIP_BUILD:-0}" != "1" ]; then
    echo "Building mmap, store and benchmarks..."
    mvn -B -q -pl benchmarks -am package -DskipTests
fi
JAR="$ROOT/benchmarks/target/benchmarks.jar"
[ -f "$JAR" ] || { echo "error: $JAR not found; run without SKIP_BUILD=1" >&2; exit 1; }

SUFFIX=""
[ "$SHORT" = "1" ] && SUFFIX="-short"
OUT="${RESULTS_DIR:-$ROOT/benchmarks/results/$(date +%F)$SUFFIX}"
if [ -z "${RESULTS_DIR:-}" ] && [ -e "$OUT/jmh.json" ]; then
    OUT="$OUT-$(date +%H%M%S)"
fi
mkdir -p "$OUT"

PATTERN='io\.rangedmmap\.benchmarks\.(StoreWriteBenchmark|CheckpointBenchmark|StoreOpenBenchmark|DurableWriteBenchmark|RandomReadBenchmark|FirstTouchBenchmark)\.'
if [ "$SHORT" = "1" ]; then
    # Every benchmark: 1 warmup and 3 measurement iterations of 1 s (single-shot ones: 1 and 3 shots).
    MODE_ARGS=(-f 1 -wi 1 -w 1s -i 3 -r 1s)
else
    # The iteration counts and times in each class's annotations.
    MODE_ARGS=(-f 1)
fi
JMH_ARGS=("$PATTERN" "${MODE_ARGS[@]}" -jvm "$JAVA" -jvmArgsAppend "${FLAGS[*]}"
    -rf json -rff "$OUT/jmh.json" "$@")
COMMAND="$(printf '%q ' "$JAVA" "${FLAGS[@]}" -jar "$JAR" "${JMH_ARGS[@]}")"

{
    echo "date: $(date -Is)"
    echo "script: $0 $([ "$SHORT" = 1 ] && echo '--short ')$* (SKIP_BUILD=${SKIP_BUILD:-0})"
    echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git status --porcelain mmap store benchmarks/src 2>/dev/null | grep -q . && echo ' (uncommitted changes)')"
    echo "command: $COMMAND"
    echo "load before: $(uptime)"
    echo
    echo "nproc: $(nproc)"
    command -v lscpu >/dev/null && lscpu | grep -E '^(Model name|Thread|Core|Socket|CPU\(s\))' || true
    echo
    free -h
    echo
    df -hT "${TMPDIR:-/tmp}"
    echo
    echo "kernel: $(uname -r)"
    "$JAVA" -version 2>&1
} > "$OUT/machine.txt"

START=$SECONDS
if [ "${COMMITS_ONLY:-0}" != "1" ]; then
    echo "Running JMH ($([ "$SHORT" = 1 ] && echo short || echo full) version; results in $OUT)..."
    "$JAVA" "${FLAGS[@]}" -jar "$JAR" "${JMH_ARGS[@]}" 2>&1 | tee "$OUT/jmh.log"
fi
COMMIT_SECONDS=3
[ "$SHORT" = "1" ] && COMMIT_SECONDS=1
echo "Running the durable commit comparison against LMDB, SQLite, RocksDB and the floor (issue 14)..."
echo "load before commits: $(uptime)" >> "$OUT/machine.txt"
"$JAVA" "${FLAGS[@]}" -cp "$JAR" io.rangedmmap.benchmarks.CommitPeers "$OUT" "$COMMIT_SECONDS" 2>&1 | tee "$OUT/commits.log"
"$JAVA" "${FLAGS[@]}" -cp "$JAR" io.rangedmmap.benchmarks.CheckpointFlushProbe "$OUT" "$COMMIT_SECONDS" 2>&1 | tee "$OUT/flush-probe.log"
if [ "${COMMITS_ONLY:-0}" = "1" ]; then
    { echo "load after: $(uptime)"; echo "wall time: $((SECONDS - START)) s"; } >> "$OUT/machine.txt"
    exit 0
fi
{
    echo "load after: $(uptime)"
    echo "wall time: $((SECONDS - START)) s"
} >> "$OUT/machine.txt"
echo
"$JAVA" -cp "$JAR" io.rangedmmap.benchmarks.report.Charts "$OUT" "$OUT/jmh.json"

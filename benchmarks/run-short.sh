#!/usr/bin/env bash
# Builds the library and the benchmarks, runs the short benchmark suite (under 10 minutes on 2 cores) and prints
# the table of ratios against the baselines. Results go to benchmarks/results/<date>/:
#   jmh.json     JMH's JSON results (with -prof gc)
#   jmh.log      JMH's console output
#   ratios.md    the table printed at the end
#   machine.txt  the machine, the JDK and the exact command
#
# Usage: benchmarks/run-short.sh [extra JMH options...]
#   SKIP_BUILD=1      use the benchmarks/target/benchmarks.jar already built
#   RESULTS_DIR=dir   write somewhere else
# Needs a JDK 25: $JAVA_HOME if it is one, else /usr/lib/jvm/temurin-25-jdk-amd64 or any /usr/lib/jvm/*25*.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

java_major() {
    local home="$1" version
    [ -x "$home/bin/java" ] || return 1
    if [ -f "$home/release" ]; then
        version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")"
    fi
    if [ -z "${version:-}" ]; then
        version="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)"
    fi
    version="${version#1.}"
    echo "${version%%[.+-]*}"
}

find_jdk25() {
    local candidate major
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
        [ -n "$candidate" ] || continue
        major="$(java_major "$candidate" 2>/dev/null)" || continue
        if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if ! JDK="$(find_jdk25)"; then
    echo "error: no JDK 25 found (JAVA_HOME='${JAVA_HOME:-}' is not 25 or newer, and none under /usr/lib/jvm)." >&2
    echo "       Set JAVA_HOME to a JDK 25, e.g. export JAVA_HOME=/path/to/jdk-25, and run this again." >&2
    exit 1
fi
JAVA="$JDK/bin/java"
FLAGS=(--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED)

if [ "${SKIP_BUILD:-0}" != "1" ]; then
    echo "Building mmap and benchmarks (JDK for compiling: chosen by maven-toolchains-plugin)..."
    mvn -B -q -pl mmap,benchmarks -am package -DskipTests
fi
JAR="$ROOT/benchmarks/target/benchmarks.jar"
[ -f "$JAR" ] || { echo "error: $JAR not found; run without SKIP_BUILD=1" >&2; exit 1; }

OUT="${RESULTS_DIR:-$ROOT/benchmarks/results/$(date +%F)}"
if [ -z "${RESULTS_DIR:-}" ] && [ -e "$OUT/jmh.json" ]; then
    OUT="$OUT-$(date +%H%M%S)"
fi
mkdir -p "$OUT"

# Short version: 26 forks of about 10 s each. Each fork creates and deletes its own 1 GiB file under /tmp.
JMH_ARGS=('io\.rangedmmap\.benchmarks\.(MmapWriteBenchmark|AllocatorBenchmark)\.'
    -f 1 -wi 2 -w 1s -i 5 -r 1s -prof gc
    -jvm "$JAVA" -jvmArgsAppend "${FLAGS[*]}"
    -rf json -rff "$OUT/jmh.json" "$@")
COMMAND="$(printf '%q ' "$JAVA" "${FLAGS[@]}" -jar "$JAR" "${JMH_ARGS[@]}")"

{
    echo "date: $(date -Is)"
    echo "script: $(printf '%q ' "$0" "$@")(SKIP_BUILD=${SKIP_BUILD:-0})"
    echo "git: $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git status --porcelain mmap 2>/dev/null | grep -q . && echo ' (mmap/ has uncommitted changes)')"
    echo "command: $COMMAND"
    echo
    echo "nproc: $(nproc)"
    echo
    free -h
    echo
    df -h /tmp
    echo
    echo "kernel: $(uname -r)"
    "$JAVA" -version 2>&1
} > "$OUT/machine.txt"

echo "Running JMH (short version; results in $OUT)..."
START=$SECONDS
"$JAVA" "${FLAGS[@]}" -jar "$JAR" "${JMH_ARGS[@]}" 2>&1 | tee "$OUT/jmh.log"
echo "wall time: $((SECONDS - START)) s" >> "$OUT/machine.txt"
echo
"$JAVA" -cp "$JAR" io.rangedmmap.benchmarks.report.RatioTable "$OUT/jmh.json" "$OUT/ratios.md"

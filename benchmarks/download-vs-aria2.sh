#!/usr/bin/env bash
# Times examples' DownloaderDemo --url against aria2c -x N -s N on the same file served by a stock nginx on
# loopback (127.0.0.1 only), alternately, several rounds, each side starting with no target file, and records the
# results. Two comparisons, each measuring the same thing on both sides:
# - download: ours is its "download-seconds" line (from the HEAD request until every byte is in the mapped file,
#   page cache, SHA-256 excluded: it runs alongside); aria2c is timed as a process (it starts in milliseconds,
#   computes no hash and never syncs, so its end is the same point: every byte in the page cache).
# - durable: ours is its "durable-seconds" line (the same plus its one syncAll, msync of the whole file); aria2c is
#   its process plus `sync -d` of its file (fdatasync), timed together.
# Our whole process (JVM start, SHA-256, exit) is timed too.
#
# Usage: benchmarks/download-vs-aria2.sh [rounds=5] [sizeMiB=300] [connections=8]
#   RESULTS_DIR=dir   where to write (default benchmarks/results/<date>-download-vs-aria2)
#   SKIP_BUILD=1      use examples/target/ranged-mmap-examples.jar as it is
# Installs nginx-light and aria2 with apt-get when they are missing (as root), else says what to install.
# Run it under `flock /tmp/ranged-bench.lock` on a shared machine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ROUNDS="${1:-5}"
SIZE_MIB="${2:-300}"
CONNECTIONS="${3:-8}"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/benchmarks/results/$(date -u +%Y-%m-%d)-download-vs-aria2}"

need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v aria2c >/dev/null 2>&1 || need+=(aria2)
if [ "${#need[@]}" -gt 0 ]; then
    if [ "$(id -u)" != "0" ]; then
        echo "missing ${need[*]}: run as root, or apt-get install ${need[*]}" >&2
        exit 1
    fi
    echo "[bench] installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

JAVA=""
for home in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/*; do
    if [ -n "$home" ] && [ -f "$home/release" ] && grep -q '^JAVA_VERSION="2[5-9]' "$home/release"; then
        JAVA="$home/bin/java"
        break
    fi
done
[ -n "$JAVA" ] || { echo "no JDK 25 found (JAVA_HOME or /usr/lib/jvm)" >&2; exit 1; }
JAR="$ROOT/examples/target/ranged-mmap-examples.jar"
if [ -z "${SKIP_BUILD:-}" ] || [ ! -f "$JAR" ]; then
    mvn -q -B -pl examples -am package -DskipTests
fi

WORK="$(mktemp -d /tmp/ranged-download-bench.XXXXXX)"
NGINX_PID=""
cleanup() {
    if [ -n "$NGINX_PID" ]; then
        kill "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/www" "$RESULTS_DIR"

echo "[bench] generating ${SIZE_MIB} MiB of random data"
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom > "$WORK/www/file.bin"
SHA="$(sha256sum "$WORK/www/file.bin" | cut -d' ' -f1)"

PORT=""
for attempt in 1 2 3 4 5; do
    candidate=$((20000 + RANDOM % 20000))
    cat > "$WORK/nginx.conf" <<CONF
daemon off;
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/error.log warn;
user root;
events { worker_connections 256; }
http {
    access_log $WORK/access.log;
    sendfile on;
    tcp_nopush on;
    server {
        listen 127.0.0.1:$candidate;
        root $WORK/www;
    }
}
CONF
    "$NGINX" -e "$WORK/error.log" -p "$WORK" -c "$WORK/nginx.conf" 2>>"$WORK/error.log" &
    NGINX_PID=$!
    for _ in $(seq 1 50); do
        if curl -sf -o /dev/null -I "http://127.0.0.1:$candidate/file.bin"; then
            PORT=$candidate
            break
        fi
        kill -0 "$NGINX_PID" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$PORT" ] && break
    kill "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=""
done
[ -n "$PORT" ] || { echo "nginx did not start:" >&2; cat "$WORK/error.log" >&2; exit 1; }
URL="http://127.0.0.1:$PORT/file.bin"
echo "[bench] nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') serving $URL (sha256 $SHA)"

requests() { grep -c '"GET /file.bin' "$WORK/access.log" 2>/dev/null || true; }
now() { date +%s%N; }

LOG="$RESULTS_DIR/log.txt"
TABLE="$RESULTS_DIR/results.md"
{
    echo "# DownloaderDemo --url against aria2c -x$CONNECTIONS -s$CONNECTIONS"
    echo
    echo "File: $SIZE_MIB MiB of random data, nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') on 127.0.0.1, $ROUNDS rounds,"
    echo "alternating which goes first, each starting with no target file. Command:"
    echo "\`flock /tmp/ranged-bench.lock benchmarks/download-vs-aria2.sh $ROUNDS $SIZE_MIB $CONNECTIONS\`."
    echo "Machine: $(nproc) cores, $(uname -r), $("$JAVA" -version 2>&1 | head -1); aria2 $(aria2c --version | head -1 | awk '{print $3}')."
    echo "Load before: $(uptime | sed 's/.*load average/load average/')"
    echo
    echo "download: ours until every byte is in the mapped file (SHA-256 excluded), aria2c's process (it never syncs)."
    echo "durable: ours plus its one syncAll, aria2c's process plus \`sync -d\` of its file. Seconds."
    echo
    echo "| round | first | ours download | ours durable | ours process | GETs | aria2c | aria2c + sync | GETs | ratio download | ratio durable |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
} > "$TABLE"
: > "$LOG"

run_ours() {
    rm -f "$WORK/ours.bin" "$WORK/ours.bin.parts"
    local before after start end
    before=$(requests)
    start=$(now)
    "$JAVA" --add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
        -cp "$JAR" io.rangedmmap.examples.downloader.DownloaderDemo --url "$URL" "$WORK/ours.bin" "$CONNECTIONS" \
        > "$WORK/ours.log" 2>&1
    end=$(now)
    after=$(requests)
    tr '\r' '\n' < "$WORK/ours.log" | grep -v '^\[' >> "$LOG" || true
    grep -q "^sha256 $SHA" "$WORK/ours.log" || { echo "ranged-mmap: wrong sha256" >&2; cat "$WORK/ours.log" >&2; exit 1; }
    OURS_DOWNLOAD=$(sed -n 's/^download-seconds //p' "$WORK/ours.log")
    OURS_DURABLE=$(sed -n 's/^durable-seconds //p' "$WORK/ours.log")
    OURS_PROCESS=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')
    OURS_GETS=$((after - before))
    rm -f "$WORK/ours.bin"
}

run_aria() {
    rm -f "$WORK/aria.bin"
    local before after start end synced
    before=$(requests)
    start=$(now)
    aria2c -q -x"$CONNECTIONS" -s"$CONNECTIONS" --allow-overwrite=true --auto-file-renaming=false \
        -d "$WORK" -o aria.bin "$URL" >> "$LOG" 2>&1
    end=$(now)
    sync -d "$WORK/aria.bin"
    synced=$(now)
    after=$(requests)
    [ "$(sha256sum "$WORK/aria.bin" | cut -d' ' -f1)" = "$SHA" ] || { echo "aria2c: wrong sha256" >&2; exit 1; }
    ARIA=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')
    ARIA_DURABLE=$(awk -v s="$start" -v e="$synced" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')
    ARIA_GETS=$((after - before))
    rm -f "$WORK/aria.bin"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) -eq 1 ]; then
        first=ranged-mmap; run_ours; run_aria
    else
        first=aria2c; run_aria; run_ours
    fi
    echo "| $round | $first | $OURS_DOWNLOAD | $OURS_DURABLE | $OURS_PROCESS | $OURS_GETS | $ARIA | $ARIA_DURABLE |" \
        "$ARIA_GETS | $(ratio "$OURS_DOWNLOAD" "$ARIA") | $(ratio "$OURS_DURABLE" "$ARIA_DURABLE") |" >> "$TABLE"
    echo "[bench] round $round: ranged-mmap ${OURS_DOWNLOAD}s (durable ${OURS_DURABLE}s, process ${OURS_PROCESS}s," \
        "$OURS_GETS GETs), aria2c ${ARIA}s (durable ${ARIA_DURABLE}s, $ARIA_GETS GETs)"
done
{
    echo
    echo "Load after: $(uptime | sed 's/.*load average/load average/')"
    # Column $2 of the table's rows (awk -F'|' counts the empty field before the first bar as $1).
    column() { grep '^| [0-9]' "$TABLE" | awk -F'|' -v c="$1" '{ gsub(/ /, "", $c); print $c }' | sort -n; }
    median() { awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
    spread() { awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'; }
    echo
    echo "| median (min-max), s | ours | aria2c | ratio of medians |"
    echo "|---|---:|---:|---:|"
    echo "| download | $(column 4 | median) ($(column 4 | spread)) | $(column 8 | median) ($(column 8 | spread)) |" \
        "$(ratio "$(column 4 | median)" "$(column 8 | median)") |"
    echo "| durable | $(column 5 | median) ($(column 5 | spread)) | $(column 9 | median) ($(column 9 | spread)) |" \
        "$(ratio "$(column 5 | median)" "$(column 9 | median)") |"
    echo "| ours' whole process against aria2c's | $(column 6 | median) ($(column 6 | spread)) |" \
        "$(column 8 | median) ($(column 8 | spread)) | $(ratio "$(column 6 | median)" "$(column 8 | median)") |"
} >> "$TABLE"
echo "flock /tmp/ranged-bench.lock benchmarks/download-vs-aria2.sh $ROUNDS $SIZE_MIB $CONNECTIONS" > "$RESULTS_DIR/command.txt"
cat "$TABLE"

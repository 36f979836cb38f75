#!/usr/bin/env bash
# Builds the self-contained scaling bundle for a machine with no Java, no Maven and no network:
#   benchmarks/scaling/bundle/runtime/        a JDK 25 runtime made by jlink (only the modules the benchmarks need)
#   benchmarks/scaling/bundle/benchmarks.jar  the JMH uber-jar
# and checks that the bundle is at most 64 MiB. The bundle is not committed (benchmarks/.gitignore). Run the
# benchmarks on the remote machine, from the repository root, with: bash benchmarks/scaling/run-scaling.sh "$OUT"
#
# Usage: benchmarks/scaling/build-bundle.sh
#   SKIP_BUILD=1   use the benchmarks/target/benchmarks.jar already built
# Needs a JDK 25 with jlink ($JAVA_HOME, or /usr/lib/jvm/*25*); Maven unless SKIP_BUILD=1.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUNDLE="$HERE/bundle"
LIMIT_MIB=64

# java.base, jdk.unsupported (sun.misc.Unsafe: Agrona, JMH, jnr-ffi), java.management and jdk.management (JMH reads
# the JVM's MXBeans), java.logging (JMH). Not java.desktop (only the chart report uses it: run the report where the
# results are copied to), not java.compiler (only JMH's annotation processor, at build time).
MODULES=java.base,java.logging,java.management,jdk.management,jdk.unsupported

JDK=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*25*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ] || continue
    if "$candidate/bin/java" -version 2>&1 | grep -qE 'version "25'; then
        JDK="$candidate"
        break
    fi
done
if [ -z "$JDK" ]; then
    echo "error: no JDK 25 with jlink found: set JAVA_HOME to a JDK 25 and run this again." >&2
    exit 1
fi

if [ "${SKIP_BUILD:-0}" != "1" ]; then
    echo "Building mmap, store and benchmarks..."
    (cd "$ROOT" && mvn -B -q -pl benchmarks -am package -DskipTests)
fi
JAR="$ROOT/benchmarks/target/benchmarks.jar"
[ -f "$JAR" ] || { echo "error: $JAR not found; run without SKIP_BUILD=1" >&2; exit 1; }

rm -rf "$BUNDLE"
mkdir -p "$BUNDLE"
echo "jlink $MODULES from $JDK..."
"$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=zip-9 \
    --output "$BUNDLE/runtime"
cp "$JAR" "$BUNDLE/benchmarks.jar"
{
    echo "built: $(date -Is)"
    echo "git: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo none)"
    echo "jdk: $("$JDK/bin/java" -version 2>&1 | head -1)"
    echo "modules: $MODULES"
} > "$BUNDLE/BUILD-INFO.txt"

"$BUNDLE/runtime/bin/java" -version 2>&1 | head -1
SIZE_KIB="$(du -sk "$BUNDLE" | cut -f1)"
du -sh "$BUNDLE/runtime" "$BUNDLE/benchmarks.jar"
du -sh "$BUNDLE"
if [ "$SIZE_KIB" -gt $((LIMIT_MIB * 1024)) ]; then
    echo "error: the bundle is $((SIZE_KIB / 1024)) MiB, above the limit of $LIMIT_MIB MiB" >&2
    exit 1
fi
echo "bundle: $BUNDLE, $((SIZE_KIB / 1024)) MiB (limit $LIMIT_MIB MiB)"

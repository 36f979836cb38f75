#!/bin/bash
# Issue 10 (h10-lazy): open of a store with a million live pages after a clean close (lazy: superblocks only) against
# after a crash (the close's mark removed before each open), at 4 GiB and 64 GiB, LMDB beside; under the bench lock.
# OUT dir as $1, jar as $2.
OUT=$1; JAR=$2; mkdir -p $OUT; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
echo "start $(date -u +%H:%M:%S) $(uptime)" > load.txt
flock /tmp/ranged-bench.lock $J $F -jar $JAR 'StoreSizeOpenBenchmark' -p sizeMib=4096,65536 -p live=1000000 \
  -p closed=clean,crashed -wi 3 -i 10 -rf json -rff open.json > open.log 2>&1
echo "end $(date -u +%H:%M:%S) $(uptime)" >> load.txt

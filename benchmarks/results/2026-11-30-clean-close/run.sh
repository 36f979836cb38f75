#!/bin/bash
# Issue 10 (h10-clean): open of a store with a million live pages (4 GiB, sparse) after a clean close against after a
# crash (the close's mark removed before each open), in one run; under the bench lock. OUT dir as $1, jar as $2.
OUT=$1; JAR=$2; mkdir -p $OUT; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
echo "start $(uptime)" > load.txt
flock /tmp/ranged-bench.lock $J $F -jar $JAR 'StoreSizeOpenBenchmark.storeOpen' -p sizeMib=4096 -p live=1000000 \
  -p closed=clean,crashed -wi 3 -i 10 -rf json -rff open.json > open.log 2>&1
echo "end $(uptime)" >> load.txt

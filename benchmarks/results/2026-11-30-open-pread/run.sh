#!/bin/bash
# Issue 10 (h10-open): open with a million live pages at 4 GiB and 64 GiB (sparse), LMDB beside, before (main's
# benchmarks.jar at dffaf3b, copied to BEFORE) and after (this branch's, AFTER), in one run. OUT dir as $1.
OUT=$1; BEFORE=$2; AFTER=$3; mkdir -p $OUT; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
uptime > load.txt
for arm in before after; do
  JAR=$BEFORE; [ $arm = after ] && JAR=$AFTER
  $J $F -jar $JAR 'StoreSizeOpenBenchmark' -p sizeMib=4096,65536 -p live=1000000 -wi 2 -i 6 \
    -rf json -rff $arm.json > $arm.log 2>&1
  echo "$arm $(uptime)" >> load.txt
done
echo done >> load.txt

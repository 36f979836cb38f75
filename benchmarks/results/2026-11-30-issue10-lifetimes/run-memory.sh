#!/bin/bash
# SnapshotMemoryProbe again, main against this branch after the rebuild-sizing fix (ae3da02). Arguments as run.sh.
OUT=$1; MAIN=$2; MINE=$3; PROBE=$4; mkdir -p $OUT; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
M="-Xms1g -Xmx1g -XX:+AlwaysPreTouch"
uptime > load-memory.txt
for arm in main mine; do
  JAR=$MAIN; [ $arm = mine ] && JAR=$MINE
  $J $F $M -cp $PROBE:$JAR io.rangedmmap.benchmarks.SnapshotMemoryProbe 1000000 100000 > memory2-$arm.log 2>&1
  echo "memory $arm $(uptime)" >> load-memory.txt
done
echo done >> load-memory.txt

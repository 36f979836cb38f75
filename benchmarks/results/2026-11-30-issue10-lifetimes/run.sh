#!/bin/bash
# Issue 10, snapshot lifetimes only while a snapshot is open: memory per live page and per change (SnapshotMemoryProbe),
# snapshot reads (SnapshotReadBenchmark, -f 3) and checkpoints (CheckpointBenchmark.checkpoint, -f 2), main (dffaf3b)
# against this branch, alternated. OUT dir as $1, main's benchmarks.jar as $2, this branch's as $3, a directory holding
# only io/rangedmmap/benchmarks/SnapshotMemoryProbe.class (and, since the figures were taken, AnonMemory.class)
# as $4, so that the probe runs against main's store too.
OUT=$1; MAIN=$2; MINE=$3; PROBE=$4; mkdir -p $OUT; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
M="-Xms1g -Xmx1g -XX:+AlwaysPreTouch"
uptime > load.txt
for arm in main mine; do
  JAR=$MAIN; [ $arm = mine ] && JAR=$MINE
  $J $F $M -cp $PROBE:$JAR io.rangedmmap.benchmarks.SnapshotMemoryProbe 1000000 100000 > memory-$arm.log 2>&1
  echo "memory $arm $(uptime)" >> load.txt
done
for arm in main mine; do
  JAR=$MAIN; [ $arm = mine ] && JAR=$MINE
  $J $F -jar $JAR 'SnapshotReadBenchmark' -f 3 -rf json -rff snapshot-$arm.json > snapshot-$arm.log 2>&1
  echo "snapshot $arm $(uptime)" >> load.txt
done
$J $F -jar $MINE 'SnapshotReadBenchmark' -p changed=65536 -f 3 -rf json -rff snapshot-mine-changed.json > snapshot-mine-changed.log 2>&1
echo "snapshot mine changed $(uptime)" >> load.txt
for arm in main mine; do
  JAR=$MAIN; [ $arm = mine ] && JAR=$MINE
  $J $F -jar $JAR 'CheckpointBenchmark.checkpoint' -f 2 -rf json -rff checkpoint-$arm.json > checkpoint-$arm.log 2>&1
  echo "checkpoint $arm $(uptime)" >> load.txt
done
echo done >> load.txt

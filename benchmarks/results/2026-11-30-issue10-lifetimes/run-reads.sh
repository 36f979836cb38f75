#!/bin/bash
# SnapshotReadBenchmark again, main against this branch, alternated, when the machine was quieter. Arguments as run.sh.
OUT=$1; MAIN=$2; MINE=$3; mkdir -p $OUT; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
uptime > load-reads.txt
for arm in main mine; do
  JAR=$MAIN; [ $arm = mine ] && JAR=$MINE
  $J $F -jar $JAR 'SnapshotReadBenchmark' -f 3 -rf json -rff reads2-$arm.json > reads2-$arm.log 2>&1
  echo "reads $arm $(uptime)" >> load-reads.txt
done
echo done >> load-reads.txt

#!/bin/bash
# Second pass, same commit: one writer one page alone (6 rounds of 3 s) and a second SnapshotReadBenchmark -f 3.
OUT=$1; JAR=$2; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
uptime > load2.txt
$J $F -Dpeers.writers=1 -Dpeers.sizes=1 -cp $JAR io.rangedmmap.benchmarks.CommitPeers $OUT/commits-1x1 3 6 > commits-1x1.log 2>&1; echo "1x1 $(uptime)" >> load2.txt
$J $F -jar $JAR 'SnapshotReadBenchmark' -p changed=0 -f 3 -rf json -rff snapshot2.json > snapshot2.log 2>&1; echo "snapshot2 $(uptime)" >> load2.txt
echo done >> load2.txt

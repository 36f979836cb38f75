#!/bin/bash
# Quiet figures after merging h10-open, h14-gc, h10-life and h13-wr's MappedRegion split (commit in commit.txt),
# with nothing else running. OUT dir as $1, benchmarks jar as $2.
OUT=$1; JAR=$2; mkdir -p $OUT; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
uptime > load.txt
$J $F -cp $JAR io.rangedmmap.benchmarks.CommitPeers $OUT/commits 2 2 > commits.log 2>&1; echo "commits $(uptime)" >> load.txt
$J $F -jar $JAR 'StoreSizeOpenBenchmark' -p sizeMib=4096,65536 -p live=1000000 -wi 2 -i 6 -rf json -rff open.json > open.log 2>&1; echo "open $(uptime)" >> load.txt
$J $F -jar $JAR 'SnapshotReadBenchmark' -f 3 -rf json -rff snapshot.json > snapshot.log 2>&1; echo "snapshot $(uptime)" >> load.txt
$J $F -jar $JAR 'StoreWriteBenchmark.(pageStore|writeRange)(One|Two)Thread' -wi 3 -i 12 -f 1 -rf json -rff store-write.json > store-write.log 2>&1; echo "store-write $(uptime)" >> load.txt
$J $F -jar $JAR 'WriteLayersBenchmark.(raw|rawMmapFile|writeRange)$' -t 1 -f 2 -wi 3 -i 6 -prof gc -rf json -rff layers-t1.json > layers-t1.log 2>&1; echo "layers-t1 $(uptime)" >> load.txt
$J $F -jar $JAR 'WriteLayersBenchmark.(raw|rawMmapFile|writeRange)$' -t 2 -f 2 -wi 3 -i 6 -prof gc -rf json -rff layers-t2.json > layers-t2.log 2>&1; echo "layers-t2 $(uptime)" >> load.txt
echo done >> load.txt

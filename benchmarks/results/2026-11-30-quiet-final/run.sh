#!/bin/bash
# Quiet figures after merging h10-steal, h11-read, h13-modinfo and h14-pw (commit in commit.txt). OUT dir as $1,
# benchmarks jar as $2.
OUT=$1; JAR=$2; mkdir -p $OUT; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
uptime > load.txt
$J $F -jar $JAR 'SnapshotReadBenchmark' -f 3 -rf json -rff snapshot.json > snapshot.log 2>&1; uptime >> load.txt
$J $F -cp $JAR io.rangedmmap.benchmarks.CommitPeers $OUT/commits 2 2 > commits.log 2>&1; uptime >> load.txt
$J $F -jar $JAR 'GrowthWriteBenchmark' -p totalMib=1024 -f 1 -rf json -rff growth.json > growth.log 2>&1; uptime >> load.txt
$J $F -jar $JAR 'StoreWriteBenchmark.(pageStore|writeRange)(One|Two)Thread' -wi 3 -i 12 -f 1 -rf json -rff store-write.json > store-write.log 2>&1; uptime >> load.txt
$J $F -jar $JAR 'PageWriteCostBenchmark.(pageWrite|crc32cAndRawWriteAtSynced|rawWriteAtSynced|crc32c)$' -jvmArgsAppend -Djava.io.tmpdir=/dev/shm -f 2 -wi 3 -i 6 -prof gc -rf json -rff page-cost-shm.json > page-cost-shm.log 2>&1; uptime >> load.txt
$J $F -jar $JAR 'SnapshotReadBenchmark' -f 3 -rf json -rff snapshot2.json > snapshot2.log 2>&1; uptime >> load.txt
echo done >> load.txt

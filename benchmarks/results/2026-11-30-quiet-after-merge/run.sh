#!/bin/bash
# Post-merge quiet benchmarks: issue 14 peers, issue 10 growth, store write ratio. OUT dir as $1.
OUT=$1; mkdir -p $OUT; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
JAR=/work/main/benchmarks/target/benchmarks.jar

uptime > load.txt
$J $F -cp $JAR io.rangedmmap.benchmarks.CommitPeers $OUT/commits 2 2 > commits.log 2>&1; uptime >> load.txt
$J $F -jar $JAR 'GrowthWriteBenchmark' -p totalMib=1024 -f 1 -rf json -rff growth.json > growth.log 2>&1; uptime >> load.txt
$J $F -jar $JAR 'StoreWriteBenchmark.(pageStore|writeRange)(One|Two)Thread' -wi 3 -i 12 -f 1 -rf json -rff store-write.json > store-write.log 2>&1; uptime >> load.txt
$J $F -jar $JAR 'BackupBenchmark' -p pages=1048576 -f 1 -rf json -rff backup.json > backup.log 2>&1; uptime >> load.txt
echo done >> load.txt

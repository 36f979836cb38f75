#!/bin/bash
# Issue 13 layer benchmarks on a quiet machine (no helpers running). OUT dir as $1.
OUT=$1; mkdir -p $OUT; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
JAR=/work/main/benchmarks/target/benchmarks.jar
uptime > load.txt
$J $F -jar $JAR 'WriteLayersBenchmark' -t 1 -f 2 -wi 3 -i 6 -prof gc -rf json -rff layers-t1.json > layers-t1.log 2>&1; uptime >> load.txt
$J $F -jar $JAR 'WriteLayersBenchmark' -t 2 -f 2 -wi 3 -i 6 -prof gc -rf json -rff layers-t2.json > layers-t2.log 2>&1; uptime >> load.txt
$J $F -jar $JAR 'PageWriteCostBenchmark' -f 2 -wi 3 -i 6 -prof gc -rf json -rff page-cost.json > page-cost.log 2>&1; uptime >> load.txt
echo done >> load.txt

#!/bin/bash
# Issue 10: open time, heap and anonymous memory held after open, 1 million live pages at 4 GiB and 64 GiB (sparse),
# 10,000 live pages at 64 MiB, 4 GiB and 64 GiB; LMDB beside. OUT dir as $1.
OUT=$1; mkdir -p $OUT; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
JAR=/work/main/benchmarks/target/benchmarks.jar
uptime > load.txt
$J $F -jar $JAR 'StoreSizeOpenBenchmark' -p sizeMib=4096,65536 -p live=1000000 -rf json -rff million.json > million.log 2>&1; uptime >> load.txt
$J $F -jar $JAR 'StoreSizeOpenBenchmark' -p sizeMib=64,4096,65536 -p live=10000 -rf json -rff ten-thousand.json > ten-thousand.log 2>&1; uptime >> load.txt
echo done >> load.txt

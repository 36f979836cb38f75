#!/bin/bash
OUT=$1; mkdir -p $OUT; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
JAR=/tmp/h14/pw2.jar
uptime > load.txt
$J $F -cp $JAR io.rangedmmap.benchmarks.CommitPeers $OUT/commits 2 2 > commits.log 2>&1; uptime >> load.txt

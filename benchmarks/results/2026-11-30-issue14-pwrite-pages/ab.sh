#!/bin/bash
# usage: ab.sh JAR seconds rounds sizes writers arms
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
JAR=$1; shift
uptime
$J $F -cp /tmp/h14/hcls:$JAR io.rangedmmap.benchmarks.StoreAB "$@" 2>&1 | grep -v "INFO\|WARN"
uptime

#!/bin/bash
# Prototype of a small-commit log (measurement only): same jar, log on (-Dproto.log) and off, alternated JVMs.
OUT=$1; JAR=$2; ROUNDS=${3:-6}; mkdir -p $OUT; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
P="-Dpeers.writers=1 -Dpeers.sizes=${SIZES:-1}"
uptime > load.txt
for r in $(seq 1 $ROUNDS); do
  $J $F $P -Dproto.log=$OUT/proto.log ${PROTO_PROPS} -cp $JAR io.rangedmmap.benchmarks.CommitPeers $OUT/log-$r 3 1 > log-$r.txt 2>&1
  echo "log $r $(uptime)" >> load.txt
  $J $F $P -cp $JAR io.rangedmmap.benchmarks.CommitPeers $OUT/base-$r 3 1 > base-$r.txt 2>&1
  echo "base $r $(uptime)" >> load.txt
done
echo done >> load.txt

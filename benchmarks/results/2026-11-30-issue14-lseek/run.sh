#!/bin/bash
# One writer, one page: the jar before (fstat after each copying write) and after (lseek), alternated JVMs, every
# peer in each JVM; device writes a run from /proc/diskstats. OUT dir as $1, jars as $2 (before) and $3 (after).
OUT=$1; BEFORE=$2; AFTER=$3; ROUNDS=${4:-5}; mkdir -p $OUT; cd $OUT
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
ds() { awk '$3=="vda"{print $8, $10}' /proc/diskstats; }
uptime > load.txt
for r in $(seq 1 $ROUNDS); do
  for arm in before after; do
    JAR=$BEFORE; [ $arm = after ] && JAR=$AFTER
    b=$(ds)
    $J $F -Dpeers.writers=1 -Dpeers.sizes=1 -cp $JAR io.rangedmmap.benchmarks.CommitPeers $OUT/$arm-$r 3 1 > $arm-$r.txt 2>&1
    a=$(ds)
    echo "device writes $(( ${a% *} - ${b% *} )) sectors $(( ${a#* } - ${b#* } ))" >> $arm-$r.txt
    echo "$arm $r $(uptime)" >> load.txt
  done
done

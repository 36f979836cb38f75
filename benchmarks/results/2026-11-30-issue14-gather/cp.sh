#!/bin/bash
# CommitPeers, no-gather (pp.jar) and gather (gc.jar) alternated: $1 out dir, $2 writers, $3 sizes, $4 pairs,
# $5 seconds a cell (2), $6 rounds (2). cp1, cp2: cp.sh OUT 1,4,8 1,8 2; cp3: cp.sh OUT 1 1 3 3 3.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
mkdir -p $1
for i in $(seq 1 $4); do
 for v in pp gc; do
  echo "$v $i start $(uptime)" >> $1/load.txt
  $J $F -Dpeers.writers=$2 -Dpeers.sizes=$3 -cp /tmp/h14gc/$v.jar io.rangedmmap.benchmarks.CommitPeers $1/$v-$i ${5:-2} ${6:-2} > $1/$v-$i.log 2>&1
  echo "$v $i end $(uptime)" >> $1/load.txt
 done
done
echo done >> $1/load.txt

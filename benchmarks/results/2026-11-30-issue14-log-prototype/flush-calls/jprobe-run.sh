#!/bin/bash
# Java one-flush shapes, variants alternated, then the store alone in CommitPeers; nothing else running.
cd /work/proto-run/jprobe
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
uptime
for r in 1 2 3; do
  $J $F -cp ../main.jar JProbe.java f.bin 2000 2>&1 | grep java
  READMAP=1 $J $F -cp ../main.jar JProbe.java f.bin 2000 2>&1 | grep java
  FALLOC=1 FILLFROM=260 $J $F -cp ../main.jar JProbe.java f.bin 2000 2>&1 | grep java
  READMAP=1 FALLOC=1 FILLFROM=260 $J $F -cp ../main.jar JProbe.java f.bin 2000 2>&1 | grep java
  ../dsync/dsync-probe c.bin 2000 | head -1; rm -f c.bin
  $J $F -Dpeers.only=pageStore -Dpeers.writers=1 -Dpeers.sizes=1 -cp ../only.jar io.rangedmmap.benchmarks.CommitPeers /tmp/cpo 2 1 2>&1 | grep '^pageStore' | head -1
done
uptime

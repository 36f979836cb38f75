#!/usr/bin/env bash
# Before (1864648: growth + snapshots, old free pool) vs after (main: coalescing, lowest ids first), alternated.
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
FLAGS="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
out=/tmp/lead-bench
uptime > $out/load.txt
for round in 1 2; do
  for side in before after; do
    jar=/tmp/wt-before/benchmarks/target/benchmarks.jar; [ $side = after ] && jar=/work/main/benchmarks/target/benchmarks.jar
    $J $FLAGS -jar $jar 'StoreWriteBenchmark.pageStoreOneThread' -wi 3 -i 12 -f 1 -rf json -rff $out/$side-$round.json > $out/$side-$round.log 2>&1
    echo "$side round $round: $(grep -A1 'Result' $out/$side-$round.log | tail -1)" | tee -a $out/summary.txt
    uptime >> $out/load.txt
  done
done

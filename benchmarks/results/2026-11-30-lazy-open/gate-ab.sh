#!/bin/bash
# A/B of the gate's cost on the hot paths: main's benchmarks.jar against this branch's, alternated, one fork each.
cd /tmp/h10l
echo "start $(date -u +%H:%M:%S) $(uptime)"
for round in 1 2; do
  for side in main branch; do
    jar=/tmp/h10l/mainsrc/benchmarks/target/benchmarks.jar; [ $side = branch ] && jar=/tmp/h10l/branch-benchmarks.jar
    echo "== round $round $side"
    $J --add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -jar $jar 'RandomReadBenchmark.pageStore|PageWriteCostBenchmark.pageWrite$' -wi 3 -i 5 -w 1 -r 1 -f 1 2>&1 | sed -n '/^Benchmark /,$p'
  done
done
echo "end $(date -u +%H:%M:%S) $(uptime)"

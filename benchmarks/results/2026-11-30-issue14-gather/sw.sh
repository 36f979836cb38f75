#!/bin/bash
# $1 jar, $2 out prefix
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
uptime > $2.load
$J $F -jar $1 'StoreWriteBenchmark.(pageStore|writeRange)(One|Two)Thread' -wi 3 -i 12 -f 1 -prof gc -rf json -rff $2.json > $2.log 2>&1
uptime >> $2.load

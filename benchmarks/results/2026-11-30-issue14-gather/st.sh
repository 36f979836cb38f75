#!/bin/bash
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
cd /tmp/h14gc/probe  # OneByOne.java beside it; its outputs are copied to probe/
uptime > st.load
$J $F -cp /tmp/h14gc/gc.jar OneByOne.java /tmp/h14gc/probe/d 3000 > plain.txt 2>&1
uptime >> st.load
strace -f -T -e trace=pwrite64,msync,newfstatat -o trace.txt $J $F -cp /tmp/h14gc/gc.jar OneByOne.java /tmp/h14gc/probe/d 3000 > traced.txt 2>&1
uptime >> st.load

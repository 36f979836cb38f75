#!/usr/bin/env bash
# before (main d129b62: 1 MiB chunks, InputStream + byte[] copy, hash after) vs after (this branch), alternately.
set -euo pipefail
W=/tmp/h12exp/ba; rm -rf $W; mkdir -p $W/www
head -c $((300*1024*1024)) /dev/urandom > $W/www/file.bin
cat > $W/nginx.conf <<CONF
daemon off; worker_processes 2; pid $W/nginx.pid; error_log $W/error.log warn; user root;
events { worker_connections 256; }
http { access_log off; sendfile on; tcp_nopush on; server { listen 127.0.0.1:29112; root $W/www; } }
CONF
nginx -e $W/error.log -p $W -c $W/nginx.conf & NP=$!
trap 'kill $NP; rm -rf $W' EXIT
sleep 1
J=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; F="--add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
for r in 1 2 3; do
  for which in before after; do
    jar=/tmp/h12exp/before.jar; [ $which = after ] && jar=/work/wt-h12-first-ten/examples/target/ranged-mmap-examples.jar
    rm -f $W/o.bin*; s=$(date +%s%N)
    $J $F -cp $jar io.rangedmmap.examples.downloader.DownloaderDemo --url http://127.0.0.1:29112/file.bin $W/o.bin 8 > $W/out.txt 2>&1
    e=$(date +%s%N)
    echo "round $r $which process $(( (e-s)/1000000 )) ms; $(tr '\r' '\n' < $W/out.txt | grep -E 'download-seconds|chunks of' | tr '\n' ' ')"
  done
done
uptime

/*
 * Copyright 2026 the ranged-mmap authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.rangedmmap.examples.downloader;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Downloads from a real, stock nginx on loopback (127.0.0.1 only): the server the downloader is meant for, with its
 * own idea of ranges, keep-alive and buffering. Without nginx the test is skipped, except in CI ({@code CI} set,
 * as {@code .ci/run} does, which installs nginx-light), where it fails.
 */
class NginxDownloadTest
{
    private static final List<Path> NGINX = List.of(Path.of("/usr/sbin/nginx"), Path.of("/usr/bin/nginx"),
        Path.of("/usr/local/sbin/nginx"), Path.of("/usr/local/nginx/sbin/nginx"));
    private static final long LENGTH = (40L << 20) + 12_345;

    @TempDir
    Path dir;

    private Process nginx;
    private URI uri;
    private String sha256;

    @BeforeEach
    void startNginx() throws Exception
    {
        final Path binary = NGINX.stream().filter(Files::isExecutable).findFirst().orElse(null);
        if (null == binary)
        {
            if (null != System.getenv("CI"))
            {
                fail("nginx is missing (looked in " + NGINX + ") in CI: .ci/run installs nginx-light");
            }
            Assumptions.abort("nginx is not installed (apt-get install nginx-light); skipping the real-server test");
        }
        final Path www = Files.createDirectories(dir.resolve("www"));
        final MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = Files.newOutputStream(www.resolve("file.bin")))
        {
            final Random random = new Random(42);
            final byte[] block = new byte[1 << 20];
            for (long written = 0; written < LENGTH; written += block.length)
            {
                random.nextBytes(block);
                final int length = (int)Math.min(block.length, LENGTH - written);
                out.write(block, 0, length);
                digest.update(block, 0, length);
            }
        }
        sha256 = HexFormat.of().formatHex(digest.digest());
        // Bounded: a port taken between the probe and nginx's bind is retried, a few times at most.
        for (int attempt = 0; attempt < 5 && null == uri; attempt++)
        {
            start(binary, www, freeLoopbackPort());
        }
        if (null == uri)
        {
            fail("nginx did not start: " + Files.readString(dir.resolve("error.log")));
        }
    }

    @AfterEach
    void stopNginx() throws InterruptedException
    {
        if (null != nginx)
        {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS))
            {
                nginx.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void shouldDownloadFromNginxInOneChunkPerConnection() throws Exception
    {
        final ParallelDownloader downloader = ParallelDownloader.sizedToConnections(8);
        final ParallelDownloader.Result result = downloader.download(uri, dir.resolve("a.bin"), null);
        assertEquals(sha256, result.sha256());
        assertEquals(8, result.chunks());
        assertEquals(LENGTH, result.downloadedBytes());
        assertEquals(LENGTH, Files.size(dir.resolve("a.bin")));
        assertFalse(Files.exists(dir.resolve("a.bin.parts")));
        assertEquals(1 + 8, requests(), "one HEAD and one GET per chunk");
    }

    @Test
    void shouldDownloadFromNginxInSmallChunks() throws Exception
    {
        final ParallelDownloader.Result result = new ParallelDownloader(3, 1 << 20)
            .download(uri, dir.resolve("b.bin"), null);
        assertEquals(sha256, result.sha256());
        assertEquals(41, result.chunks());
        assertEquals(LENGTH, Files.size(dir.resolve("b.bin")));
        assertEquals(1 + 41, requests());
    }

    private long requests() throws IOException
    {
        return Files.readAllLines(dir.resolve("access.log")).stream().filter(line -> line.contains("/file.bin"))
            .count();
    }

    private void start(final Path binary, final Path www, final int port) throws Exception
    {
        final Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, String.join("\n",
            "daemon off;",
            "worker_processes 1;",
            "pid " + dir.resolve("nginx.pid") + ";",
            "error_log " + dir.resolve("error.log") + " warn;",
            // Ignored with a warning unless nginx runs as root (CI); as root, workers may then read the temp dir.
            "user root;",
            "events { worker_connections 64; }",
            "http {",
            "    access_log " + dir.resolve("access.log") + ";",
            "    sendfile on;",
            "    server {",
            "        listen 127.0.0.1:" + port + ";",
            "        root " + www + ";",
            "    }",
            "}", ""));
        Files.deleteIfExists(dir.resolve("access.log"));
        nginx = new ProcessBuilder(binary.toString(), "-e", dir.resolve("error.log").toString(), "-p", dir.toString(),
            "-c", conf.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && nginx.isAlive())
        {
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                uri = URI.create("http://127.0.0.1:" + port + "/file.bin");
                return;
            }
            catch (final IOException notYet)
            {
                Thread.sleep(20);
            }
        }
        nginx.destroyForcibly().waitFor();
        nginx = null;
    }

    private static int freeLoopbackPort() throws IOException
    {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return probe.getLocalPort();
        }
    }
}

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelDownloaderTest
{
    @TempDir
    Path dir;

    @Test
    void shouldDownloadInParallelRangesAndMatchTheSha256() throws Exception
    {
        try (RangeServer server = new RangeServer(new GeneratedContent((24L << 20) + 12345, 3), 0))
        {
            final ByteArrayOutputStream bar = new ByteArrayOutputStream();
            final ParallelDownloader.Result result = new ParallelDownloader(6, 1 << 20)
                .download(server.uri(), dir.resolve("d.bin"), new PrintStream(bar, true, StandardCharsets.UTF_8));
            assertEquals(server.sha256(), result.sha256());
            assertEquals(25, result.chunks());
            assertEquals(0, result.resumedChunks());
            assertEquals((24L << 20) + 12345, Files.size(dir.resolve("d.bin")));
            assertFalse(Files.exists(dir.resolve("d.bin.parts")));
            assertTrue(bar.toString(StandardCharsets.UTF_8).contains("100.0%"), bar.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldResumeAfterBeingKilledHalfWay() throws Exception
    {
        final long size = 32L << 20;
        final Path target = dir.resolve("resume.bin");
        final Path journal = dir.resolve("resume.bin.parts");
        // Throttled to 4 MiB/s per connection: 4 connections take about 2 s, time to kill the child half-way.
        try (RangeServer server = new RangeServer(new GeneratedContent(size, 9), 4L << 20))
        {
            final Process child = new ProcessBuilder(List.of(
                ProcessHandle.current().info().command().orElseThrow(), "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), DownloaderDemo.class.getName(),
                "--url", server.uri().toString(), target.toString(), "4", Integer.toString(1 << 20)))
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // Kill once at least 8 of the 32 chunks are journalled as durable (after the journal's 4-byte header).
            while (!Files.exists(journal) || Files.size(journal) < (1 + 8) * 4)
            {
                assertTrue(System.nanoTime() < deadline && child.isAlive(),
                    "child ended early: " + Files.readString(dir.resolve("child.log")));
                Thread.sleep(5);
            }
            child.destroyForcibly().waitFor();
            final long journalled = Files.size(journal) / 4 - 1;
            assertTrue(journalled < 32, "killed too late: " + journalled);

            final ParallelDownloader.Result result = new ParallelDownloader(4, 1 << 20)
                .download(server.uri(), target, null);
            assertEquals(server.sha256(), result.sha256());
            assertTrue(result.resumedChunks() >= 8, "resumed " + result.resumedChunks());
            assertEquals((long)(32 - result.resumedChunks()) << 20, result.downloadedBytes());
            assertFalse(Files.exists(journal));
        }
    }
}

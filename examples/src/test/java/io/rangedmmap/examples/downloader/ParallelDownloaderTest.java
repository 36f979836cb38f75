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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ParallelDownloaderTest
{
    private static final int JOURNAL_HEADER = 4 + 16;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "useHttpClient={0}")
    @ValueSource(booleans = {false, true})
    void shouldDownloadInParallelRangesAndMatchTheSha256(final boolean useHttpClient) throws Exception
    {
        try (RangeServer server = new RangeServer(new GeneratedContent((24L << 20) + 12345, 3), 0))
        {
            final ByteArrayOutputStream bar = new ByteArrayOutputStream();
            final ParallelDownloader.Result result = new ParallelDownloader(6, 1 << 20, useHttpClient)
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
            // Kill once at least 8 of the 32 chunks are journalled as received (after the journal's 20-byte header:
            // the chunk size and the boot id).
            while (!Files.exists(journal) || Files.size(journal) < JOURNAL_HEADER + 8 * 4)
            {
                assertTrue(System.nanoTime() < deadline && child.isAlive(),
                    "child ended early: " + Files.readString(dir.resolve("child.log")));
                Thread.sleep(5);
            }
            child.destroyForcibly().waitFor();
            final long journalled = (Files.size(journal) - JOURNAL_HEADER) / 4;
            assertTrue(journalled < 32, "killed too late: " + journalled);

            final ParallelDownloader.Result result = new ParallelDownloader(4, 1 << 20)
                .download(server.uri(), target, null);
            assertEquals(server.sha256(), result.sha256());
            assertTrue(result.resumedChunks() >= 8, "resumed " + result.resumedChunks());
            assertEquals((long)(32 - result.resumedChunks()) << 20, result.downloadedBytes());
            assertFalse(Files.exists(journal));
        }
    }

    @Test
    void shouldDownloadEverythingAgainWhenTheJournalWasWrittenOnAnotherBoot() throws Exception
    {
        final long size = 8L << 20;
        final Path target = dir.resolve("reboot.bin");
        // Zeros where the journal claims every chunk arrived: trusting it after a reboot would give a wrong SHA-256.
        try (FileChannel file = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            file.truncate(0).write(ByteBuffer.allocate(1), size - 1);
        }
        final long[] bootId = ParallelDownloader.bootId();
        assumeTrue(null != bootId, "no boot id on this system: every chunk is flushed, nothing to distrust");
        writeJournal(dir.resolve("reboot.bin.parts"), 1 << 20, bootId[0] + 1, bootId[1], 8);
        try (RangeServer server = new RangeServer(new GeneratedContent(size, 5), 0))
        {
            final ParallelDownloader.Result result = new ParallelDownloader(4, 1 << 20)
                .download(server.uri(), target, null);
            assertEquals(0, result.resumedChunks());
            assertEquals(size, result.downloadedBytes());
            assertEquals(server.sha256(), result.sha256());
        }
    }

    @Test
    void shouldTrustTheJournalOnTheSameBootWithoutAFlush() throws Exception
    {
        final long size = 8L << 20;
        final Path target = dir.resolve("same-boot.bin");
        final long[] bootId = ParallelDownloader.bootId();
        assumeTrue(null != bootId, "no boot id on this system");
        try (RangeServer server = new RangeServer(new GeneratedContent(size, 6), 0))
        {
            // The first three chunks as a killed run left them: in the file (page cache), journalled, not flushed.
            final byte[] expected = new byte[(int)size];
            new GeneratedContent(size, 6).fill(0, expected, expected.length);
            try (FileChannel file = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
            {
                file.write(ByteBuffer.wrap(expected, 0, 3 << 20), 0);
                file.write(ByteBuffer.allocate(1), size - 1);
            }
            writeJournal(dir.resolve("same-boot.bin.parts"), 1 << 20, bootId[0], bootId[1], 3);
            final ParallelDownloader.Result result = new ParallelDownloader(4, 1 << 20)
                .download(server.uri(), target, null);
            assertEquals(3, result.resumedChunks());
            assertEquals(size - (3 << 20), result.downloadedBytes());
            assertEquals(server.sha256(), result.sha256());
        }
    }

    private static void writeJournal(final Path journal, final int chunkSize, final long bootHigh,
        final long bootLow, final int chunksDone) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(JOURNAL_HEADER + 4 * chunksDone).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(-chunkSize).putLong(bootHigh).putLong(bootLow);
        for (int chunk = 0; chunk < chunksDone; chunk++)
        {
            bytes.putInt(chunk);
        }
        Files.write(journal, bytes.array());
    }
}

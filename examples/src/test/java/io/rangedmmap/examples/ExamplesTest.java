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
package io.rangedmmap.examples;

import io.rangedmmap.examples.logsegments.LogSegmentsExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every mmap example end to end and checks what it printed.
 */
class ExamplesTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed()
    {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRunTheRawApiExample() throws Exception
    {
        RawApiExample.run(dir.resolve("raw.bin"), out);
        assertTrue(printed().contains("bytes 511 and 512: 1, 2"), printed());
        assertTrue(printed().contains("out of bounds refused: Range [1000, 1000 + 100) out of bounds for length 1024"),
            printed());
    }

    @Test
    void shouldFillTheFileFromFourThreads() throws Exception
    {
        final long[] counts = ConcurrentAllocatorExample.run(dir.resolve("c.bin"), out);
        assertEquals(100, Arrays.stream(counts).sum());
        assertTrue(printed().contains("total 100 ranges of 4096 bytes: the file is full"), printed());
    }

    @Test
    void shouldWriteFromVirtualThreads() throws Exception
    {
        final Path file = dir.resolve("a.bin");
        assertEquals(64, AsyncExample.run(file, out));
        assertTrue(printed().contains("64 virtual threads wrote 64 ranges of 65536 bytes; all flushed"), printed());
        final byte[] bytes = Files.readAllBytes(file);
        assertEquals(64 * 65536, bytes.length);
        final Set<Byte> values = new HashSet<>();
        for (int chunk = 0; chunk < 64; chunk++)
        {
            final byte value = bytes[chunk * 65536];
            for (int i = chunk * 65536; i < (chunk + 1) * 65536; i++)
            {
                assertEquals(value, bytes[i], "range " + chunk + " must hold one task's bytes");
            }
            assertTrue(values.add(value), "two ranges hold task " + value + "'s bytes");
        }
    }

    @Test
    void shouldReadBackAndResumeAfterReopen() throws Exception
    {
        assertEquals("first session\nsecond session\n", ReopenExample.run(dir.resolve("r.bin"), out));
        assertTrue(printed().contains("session 2 resumed at 4096"), printed());
    }

    @Test
    void shouldReplayEveryRecordOfTheLogSegment() throws Exception
    {
        assertEquals(4 * 5_000, LogSegmentsExample.run(dir.resolve("segment.log"), 5_000, out));
    }
}

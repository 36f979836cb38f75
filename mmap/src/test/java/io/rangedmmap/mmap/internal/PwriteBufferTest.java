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
package io.rangedmmap.mmap.internal;

import io.rangedmmap.mmap.RawMmapFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A writer's {@code pwrite} staging buffer: heap arrays, heap and direct buffers reach the mapping at once through
 * the file's one descriptor, a buffer's position moves to its limit, and a closed, read-only or failed handle, a
 * target outside the file and data longer than the buffer are refused before anything is written. That a write
 * allocates nothing is checked by the store's {@code PageStoreAllocationTest}.
 */
class PwriteBufferTest
{
    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    private static void truncateFromAnotherProcess(final Path file) throws Exception
    {
        final Process truncate = new ProcessBuilder("truncate", "-s", "0", file.toString()).inheritIO().start();
        assertEquals(0, truncate.waitFor());
    }

    private static byte[] filled(final int value)
    {
        final byte[] bytes = new byte[PAGE];
        Arrays.fill(bytes, (byte)value);
        return bytes;
    }

    @Test
    void shouldWriteArraysAndBuffersIntoTheMapping() throws IOException
    {
        final Path file = dir.resolve("w.bin");
        final PwriteBuffer staging = new PwriteBuffer(PAGE);
        try (RawMmapFile mapped = RawMmapFile.create(file, 4 * PAGE))
        {
            staging.write(mapped, PAGE, filled(7));
            final ByteBuffer heap = ByteBuffer.allocate(PAGE + 10);
            heap.position(10);
            heap.put(filled(8)).position(10);
            staging.write(mapped, 2 * PAGE, heap);
            assertEquals(heap.limit(), heap.position(), "a heap buffer's position moves to its limit");
            final ByteBuffer direct = ByteBuffer.allocateDirect(PAGE).put(filled(9)).flip();
            staging.write(mapped, 3 * PAGE, direct);
            assertEquals(PAGE, direct.position());
            final byte[] read = new byte[PAGE];
            for (int page = 0; page < 4; page++)
            {
                mapped.readAt((long)page * PAGE, read);
                assertArrayEquals(0 == page ? new byte[PAGE] : filled(6 + page), read, "page " + page);
            }
            assertEquals(1, RawFileAccessTest.descriptorsOf(file).size(), "the file's one descriptor");
            mapped.flush();
        }
        final byte[] onDisk = Files.readAllBytes(file);
        assertArrayEquals(filled(9), Arrays.copyOfRange(onDisk, 3 * PAGE, 4 * PAGE));
        assertEquals(List.of(), RawFileAccessTest.descriptorsOf(file));
    }

    @Test
    void shouldRefuseBadTargetsAndHandlesBeforeWriting() throws IOException
    {
        final Path file = dir.resolve("r.bin");
        final PwriteBuffer staging = new PwriteBuffer(PAGE);
        final RawMmapFile mapped = RawMmapFile.create(file, 2 * PAGE);
        assertThrowsExactly(IndexOutOfBoundsException.class, () -> staging.write(mapped, PAGE + 1, filled(1)));
        assertThrowsExactly(IndexOutOfBoundsException.class, () -> staging.write(mapped, 0, new byte[PAGE + 1]));
        final ByteBuffer tooLong = ByteBuffer.allocate(PAGE + 1);
        assertThrowsExactly(IndexOutOfBoundsException.class, () -> staging.write(mapped, 0, tooLong));
        assertEquals(0, tooLong.position(), "a refused buffer keeps its position");
        mapped.close();
        final IllegalStateException closed = assertThrowsExactly(IllegalStateException.class,
            () -> staging.write(mapped, 0, filled(1)));
        assertTrue(closed.getMessage().contains(file.toString()), closed.getMessage());
        try (RawMmapFile readOnly = RawMmapFile.openReadOnly(file))
        {
            final IllegalStateException refused = assertThrowsExactly(IllegalStateException.class,
                () -> staging.write(readOnly, 0, filled(1)));
            assertTrue(refused.getMessage().contains("read-only"), refused.getMessage());
        }
        assertArrayEquals(new byte[2 * PAGE], Files.readAllBytes(file), "nothing was written");
        assertThrowsExactly(IllegalArgumentException.class, () -> new PwriteBuffer(0));
    }

    @Test
    void shouldRefuseAFailedFile() throws Exception
    {
        final Path file = dir.resolve("failed.bin");
        final PwriteBuffer staging = new PwriteBuffer(PAGE);
        try (RawMmapFile mapped = RawMmapFile.create(file, 4 * PAGE))
        {
            // A file truncated under its mapping faults at the next write through the mapping, which fails it.
            truncateFromAnotherProcess(file);
            assertThrowsExactly(io.rangedmmap.mmap.MappingFaultException.class, () -> mapped.writeAt(0, filled(1)));
            assertTrue(mapped.isFailed());
            final IllegalStateException refused = assertThrowsExactly(IllegalStateException.class,
                () -> staging.write(mapped, PAGE, filled(2)));
            assertTrue(refused.getMessage().contains("has failed"), refused.getMessage());
        }
        assertEquals(0, Files.size(file), "the refused pwrite did not extend the file");
    }

    @Test
    void shouldFailTheFileWhenAWriteFindsItTruncated() throws Exception
    {
        final Path file = dir.resolve("truncated.bin");
        final PwriteBuffer staging = new PwriteBuffer(PAGE);
        try (RawMmapFile mapped = RawMmapFile.create(file, 4 * PAGE))
        {
            truncateFromAnotherProcess(file);
            // pwrite does not fault: it extends the file again, and the fstat after it tells.
            final IOException found = assertThrowsExactly(IOException.class,
                () -> staging.write(mapped, PAGE, filled(3)));
            assertEquals("pwrite of [4096, 8192) of " + file.toAbsolutePath() + " found the file truncated under its " +
                "mapping (size=8192, mapped=16384; another process truncated it): the bytes past the truncation are " +
                "lost", found.getMessage());
            assertTrue(mapped.isFailed());
            final IllegalStateException later = assertThrowsExactly(IllegalStateException.class,
                () -> staging.write(mapped, 0, filled(4)));
            assertSame(found, later.getCause(), "the first error is kept");
        }
    }
}

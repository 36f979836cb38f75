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
package io.rangedmmap.mmap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file truncated under its mapping by another process: a typed exception, a failed file, never a JVM crash.
 */
class MappingFaultTest
{
    @TempDir
    Path dir;

    private static void truncateFromAnotherProcess(final Path file) throws IOException, InterruptedException
    {
        final Process truncate = new ProcessBuilder("truncate", "-s", "0", file.toString()).inheritIO().start();
        assertEquals(0, truncate.waitFor());
    }

    @Test
    void shouldTurnAFaultIntoATypedExceptionAndFailTheFile() throws Exception
    {
        final Path file = dir.resolve("truncated.bin");
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(file, 1 << 20))
        {
            final AllocatedRange first = m.allocator().allocate(65536).orElseThrow();
            final AllocatedRange second = m.allocator().allocate(65536).orElseThrow();
            final AllocatedRange third = m.allocator().allocate(65536).orElseThrow();
            final WriteReceipt receipt = m.file().writeRange(first, new byte[65536]);
            m.file().flushRange(receipt);
            assertFalse(m.file().isFailed());

            truncateFromAnotherProcess(file);

            final MappingFaultException fault = assertThrowsExactly(MappingFaultException.class,
                () -> m.file().writeRange(second, new byte[65536]));
            assertTrue(fault.getMessage().startsWith("write of [65536, 131072) of " + file.toAbsolutePath()),
                fault.getMessage());
            assertTrue(m.file().isFailed());
            final IllegalStateException later = assertThrowsExactly(IllegalStateException.class,
                () -> m.file().writeRange(third, new byte[65536]));
            assertSame(fault, later.getCause());
            final IOException flush = assertThrowsExactly(IOException.class, () -> m.file().flushRange(receipt));
            assertSame(fault, flush.getCause());
            assertThrowsExactly(IOException.class, () -> m.file().syncAll());
            // Reads fault as well, typed.
            assertInstanceOf(MappingFaultException.class, assertThrowsExactly(MappingFaultException.class,
                () -> m.file().readRange(first, new byte[65536])));
            assertThrowsExactly(MappingFaultException.class, () -> m.file().readRange(first, view -> view.getByte(7)));
        }
    }

    @Test
    void shouldStayTypedAfterTheJitCompiledTheCopies() throws Exception
    {
        // Compiled code learns of the fault late (at the next safepoint poll): the library must still catch it.
        final Path file = dir.resolve("truncated-hot.bin");
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(file, 1 << 20);
            RawMmapFile raw = RawMmapFile.create(dir.resolve("truncated-hot-raw.bin"), 1 << 20))
        {
            final AllocatedRange range = m.allocator().allocate(4096).orElseThrow();
            final byte[] data = new byte[4096];
            for (int i = 0; i < 200_000; i++)
            {
                m.file().writeRange(range, data);
                m.file().readRange(range, data);
                m.file().writeRange(range, view -> view.putLong(8, 1L));
                raw.writeAt(8192, data);
                raw.readAt(8192, data);
            }
            truncateFromAnotherProcess(file);
            truncateFromAnotherProcess(raw.path());
            assertThrowsExactly(MappingFaultException.class, () -> m.file().writeRange(range, data));
            assertThrowsExactly(MappingFaultException.class, () -> raw.readAt(8192, data));
            assertTrue(m.file().isFailed());
            assertTrue(raw.isFailed());
        }
    }

    @Test
    void shouldFaultInZeroCopyAndRawAccessToo() throws Exception
    {
        final Path file = dir.resolve("truncated-raw.bin");
        try (RawMmapFile raw = RawMmapFile.create(file, 1 << 20))
        {
            raw.writeAt(0, new byte[4096]);
            truncateFromAnotherProcess(file);
            assertThrowsExactly(MappingFaultException.class, () -> raw.readAt(8192, new byte[4096]));
            assertTrue(raw.isFailed());
            assertThrowsExactly(IllegalStateException.class, () -> raw.writeAt(0, new byte[1]));
        }
        final Path zeroCopy = dir.resolve("truncated-view.bin");
        try (Mapping<SequentialAllocator> m = MmapFile.createDefault(zeroCopy, 1 << 20))
        {
            final AllocatedRange range = m.allocator().allocate(4096).orElseThrow();
            truncateFromAnotherProcess(zeroCopy);
            assertThrowsExactly(MappingFaultException.class,
                () -> m.file().writeRange(range, view -> view.putLong(0, 42L)));
            assertTrue(m.file().isFailed());
        }
    }
}

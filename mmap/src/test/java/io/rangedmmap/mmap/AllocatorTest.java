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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rules both allocators share, run against each.
 */
class AllocatorTest
{
    @TempDir
    Path dir;

    static Stream<AllocatorType<?>> types()
    {
        return Stream.of(AllocatorType.SEQUENTIAL, AllocatorType.CONCURRENT);
    }

    private Mapping<?> create(final long size, final AllocatorType<?> type) throws IOException
    {
        return MmapFile.create(dir.resolve("f.bin"), size, type);
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldHandOutAlignedRangesRoundedUpTo4096(final AllocatorType<?> type) throws IOException
    {
        try (Mapping<?> m = create(64 * 4096, type))
        {
            final RangeAllocator allocator = m.allocator();
            assertEquals(64 * 4096, allocator.totalSize());
            final AllocatedRange a = allocator.allocate(1).orElseThrow();
            assertEquals(0, a.start());
            assertEquals(4096, a.end());
            assertEquals(4096, a.length());
            final AllocatedRange b = allocator.allocate(4097).orElseThrow();
            assertEquals(4096, b.start());
            assertEquals(3 * 4096, b.end());
            assertEquals(61 * 4096, allocator.remaining());
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldReturnWhatIsLeftWhenRequestIsLargerThanRemaining(final AllocatorType<?> type) throws IOException
    {
        try (Mapping<?> m = create(4 * 4096, type))
        {
            m.allocator().allocate(4096).orElseThrow();
            final AllocatedRange rest = m.allocator().allocate(1_000_000).orElseThrow();
            assertEquals(4096, rest.start());
            assertEquals(4 * 4096, rest.end());
            assertEquals(0, m.allocator().remaining());
            assertEquals(Optional.empty(), m.allocator().allocate(1));
            assertEquals(Optional.empty(), m.allocator().allocateExact(1));
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldEndTheLastRangeAtTheEndOfAnUnalignedFile(final AllocatorType<?> type) throws IOException
    {
        try (Mapping<?> m = create(10_000, type))
        {
            assertEquals(4096, m.allocator().allocate(4096).orElseThrow().length());
            assertEquals(4096, m.allocator().allocate(4096).orElseThrow().length());
            final AllocatedRange last = m.allocator().allocate(4096).orElseThrow();
            assertEquals(8192, last.start());
            assertEquals(10_000, last.end());
            assertEquals(1808, last.length());
            assertTrue(m.allocator().allocate(1).isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldNeverReturnAShortRangeFromAllocateExact(final AllocatorType<?> type) throws IOException
    {
        try (Mapping<?> m = create(10_000, type))
        {
            assertTrue(m.allocator().allocateExact(20_000).isEmpty());
            final AllocatedRange first = m.allocator().allocateExact(8192).orElseThrow();
            assertEquals(8192, first.length());
            // 1808 bytes are left: 1808 fits exactly at the unaligned end, 1809 does not.
            if (type == AllocatorType.SEQUENTIAL)
            {
                assertTrue(m.allocator().allocateExact(1809).isEmpty());
            }
            final AllocatedRange last = m.allocator().allocateExact(1808).orElseThrow();
            assertEquals(8192, last.start());
            assertEquals(10_000, last.end());
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldRejectNonPositiveLengths(final AllocatorType<?> type) throws IOException
    {
        try (Mapping<?> m = create(4096, type))
        {
            for (final long bad : new long[]{0, -1, Long.MIN_VALUE})
            {
                assertEquals("length=" + bad + " must be > 0",
                    assertThrowsExactly(IllegalArgumentException.class, () -> m.allocator().allocate(bad))
                        .getMessage());
                assertEquals("length=" + bad + " must be > 0",
                    assertThrowsExactly(IllegalArgumentException.class, () -> m.allocator().allocateExact(bad))
                        .getMessage());
            }
            assertEquals(4096, m.allocator().remaining());
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldNotWrapWithHugeRequests(final AllocatorType<?> type) throws IOException
    {
        // The Rust crate's counter wrapped here: allocate(u64::MAX - 4095) then two more handed [0, 4096) out twice.
        try (Mapping<?> m = create(8192, type))
        {
            final AllocatedRange all = m.allocator().allocate(Long.MAX_VALUE - 4095).orElseThrow();
            assertEquals(0, all.start());
            assertEquals(8192, all.end());
            for (int i = 0; i < 1000; i++)
            {
                assertTrue(m.allocator().allocate(Long.MAX_VALUE).isEmpty());
                assertTrue(m.allocator().allocateExact(Long.MAX_VALUE).isEmpty());
                assertTrue(m.allocator().allocate(1).isEmpty());
            }
            assertEquals(0, m.allocator().remaining());
        }
    }

    @Test
    void shouldResumeAllocationWhereTheCallerSays() throws IOException
    {
        final Path file = dir.resolve("r.bin");
        MmapFile.createDefault(file, 16 * 4096).close();
        try (Mapping<ConcurrentAllocator> m = MmapFile.open(file, AllocatorType.CONCURRENT, 8 * 4096))
        {
            assertEquals(8 * 4096, m.allocator().allocate(1).orElseThrow().start());
            assertEquals(7 * 4096, m.allocator().remaining());
        }
        try (Mapping<SequentialAllocator> m = MmapFile.open(file, AllocatorType.SEQUENTIAL, 16 * 4096))
        {
            assertTrue(m.allocator().allocate(1).isEmpty());
        }
        for (final long bad : new long[]{-4096, 1, 4095})
        {
            assertEquals("resumeAt=" + bad + " must be a non-negative multiple of 4096",
                assertThrowsExactly(IllegalArgumentException.class,
                    () -> MmapFile.open(file, AllocatorType.SEQUENTIAL, bad)).getMessage());
        }
        final IllegalArgumentException past = assertThrowsExactly(IllegalArgumentException.class,
            () -> MmapFile.open(file, AllocatorType.SEQUENTIAL, 17 * 4096));
        assertTrue(past.getMessage().startsWith("resumeAt=69632 must be <= size=65536"), past.getMessage());
        // The refused open released the lock: the file opens again.
        MmapFile.openDefault(file).close();
    }

    @Test
    void shouldRestartAtZeroWhenOpenedByDefault() throws IOException
    {
        final Path file = dir.resolve("d.bin");
        MmapFile.createDefault(file, 4 * 4096).close();
        try (Mapping<SequentialAllocator> m = MmapFile.openDefault(file))
        {
            assertEquals(0, m.allocator().allocate(4096).orElseThrow().start());
            assertFalse(m.allocator().remaining() == 0);
        }
    }
}

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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrentAllocatorConcurrencyTest
{
    private static final int THREADS = 8;

    @TempDir
    Path dir;

    @Test
    void shouldTileTheFileWithDisjointRangesUnderContention() throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try
        {
            final SplittableRandom seeds = new SplittableRandom(42);
            for (int round = 0; round < 200; round++)
            {
                final long size = 4096L * (1 + seeds.nextInt(2048)) - (round % 3 == 0 ? seeds.nextInt(4096) : 0);
                final boolean exact = round % 4 == 3;
                final boolean huge = round % 5 == 4;
                final List<AllocatedRange> ranges = allocateFromThreads(pool, size, seeds.nextLong(), exact, huge);
                ranges.sort(Comparator.comparingLong(AllocatedRange::start));
                long expectedStart = 0;
                for (final AllocatedRange range : ranges)
                {
                    assertTrue(Alignment.isAligned(range.start()), range.toString());
                    assertTrue(range.length() > 0, range.toString());
                    assertTrue(range.end() <= size, range + " past size=" + size);
                    if (exact)
                    {
                        // Failed exact claims may leave gaps, never overlaps.
                        assertTrue(range.start() >= expectedStart, "overlap at " + range + " in round " + round);
                    }
                    else
                    {
                        assertEquals(expectedStart, range.start(), "gap or overlap at " + range + " round " + round);
                    }
                    expectedStart = range.end();
                }
                if (!exact)
                {
                    assertEquals(size, expectedStart, "ranges must tile the whole file in round " + round);
                }
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    private List<AllocatedRange> allocateFromThreads(
        final ExecutorService pool, final long size, final long seed, final boolean exact, final boolean huge)
        throws Exception
    {
        try (Mapping<ConcurrentAllocator> m = MmapFile.create(dir.resolve("c.bin"), size, AllocatorType.CONCURRENT,
            CreateOption.REPLACE_EXISTING, CreateOption.SPARSE))
        {
            final CyclicBarrier start = new CyclicBarrier(THREADS);
            final List<Future<List<AllocatedRange>>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final SplittableRandom random = new SplittableRandom(seed + t);
                futures.add(pool.submit(() ->
                {
                    final List<AllocatedRange> mine = new ArrayList<>();
                    start.await();
                    int misses = 0;
                    while (misses < 3)
                    {
                        final long length = huge && random.nextInt(8) == 0 ?
                            Long.MAX_VALUE - random.nextInt(4096) : 1 + random.nextInt(5 * 4096);
                        final Optional<AllocatedRange> range = exact ?
                            m.allocator().allocateExact(length) : m.allocator().allocate(length);
                        if (range.isPresent())
                        {
                            mine.add(range.get());
                        }
                        else if (0 == m.allocator().remaining())
                        {
                            misses++;
                        }
                    }
                    return mine;
                }));
            }
            final List<AllocatedRange> all = new ArrayList<>();
            for (final Future<List<AllocatedRange>> future : futures)
            {
                all.addAll(future.get());
            }
            assertEquals(0, m.allocator().remaining());
            return all;
        }
    }
}

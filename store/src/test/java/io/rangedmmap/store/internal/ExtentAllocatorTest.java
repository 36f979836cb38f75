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
package io.rangedmmap.store.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExtentAllocatorTest
{
    private static Runs runs(final long... startEndPairs)
    {
        final Runs runs = new Runs();
        for (int i = 0; i < startEndPairs.length; i += 2)
        {
            runs.add(startEndPairs[i], startEndPairs[i + 1]);
        }
        return runs;
    }

    @Test
    void shouldSplitAClaimWhereRunsEnd()
    {
        final ExtentAllocator allocator = new ExtentAllocator(runs(0, 3, 10, 12, 20, 30));
        final Runs into = new Runs();
        assertEquals(6, allocator.claim(6, into));
        assertEquals("Runs{[0, 3), [10, 12), [20, 21)}", into.toString());
        into.clear();
        assertEquals(9, allocator.claim(100, into));
        assertEquals("Runs{[21, 30)}", into.toString());
        assertEquals(0, allocator.claim(1, into));
    }

    @Test
    void shouldClaimTheLowestPagesFirstWhateverTheOrderTheyWereAppendedIn()
    {
        final ExtentAllocator allocator = new ExtentAllocator(new Runs());
        final Runs into = new Runs();
        assertEquals(0, allocator.claim(4, into));
        allocator.append(runs(100, 101));
        allocator.append(runs(5, 7));
        allocator.append(new Runs());
        assertEquals(2, allocator.claim(2, into));
        assertEquals(1, allocator.claim(4, into));
        assertEquals(0, allocator.claim(4, into));
        assertEquals("Runs{[5, 7), [100, 101)}", into.toString());
    }

    @Test
    void shouldMergeAppendedRunsWithTheirFreeNeighbours()
    {
        final ExtentAllocator allocator = new ExtentAllocator(runs(0, 2, 8, 10));
        allocator.append(4, 6);
        allocator.append(runs(2, 4, 6, 7));
        assertArrayEquals(new long[]{0, 7, 8, 10}, allocator.runs());
        allocator.append(7, 8);
        assertArrayEquals(new long[]{0, 10}, allocator.runs());
        assertEquals(10, allocator.freePages());
    }

    @Test
    void shouldClaimTheLowestRunLongEnoughForACount()
    {
        final ExtentAllocator allocator = new ExtentAllocator(runs(0, 2, 10, 13, 20, 30, 40, 44));
        final Runs into = new Runs();
        assertEquals(0, allocator.claim(11, 11, into));
        assertEquals(3, allocator.claim(3, 4, into));
        assertEquals("Runs{[10, 13)}", into.toString());
        assertEquals(4, allocator.claim(3, 4, into));
        assertEquals("Runs{[10, 13), [20, 24)}", into.toString());
        assertEquals(6, allocator.claim(6, 64, into));
        assertEquals("Runs{[10, 13), [20, 30)}", into.toString());
        assertArrayEquals(new long[]{0, 2, 40, 44}, allocator.runs());
    }

    @Test
    void shouldRefuseAPageFreedTwiceAndKeepThePool()
    {
        final ExtentAllocator allocator = new ExtentAllocator(runs(0, 4, 10, 12));
        final IllegalStateException twice = assertThrowsExactly(IllegalStateException.class,
            () -> allocator.append(11, 13));
        assertEquals("pages [11, 13) are freed twice: [10, 12) is already free", twice.getMessage());
        assertThrowsExactly(IllegalStateException.class, () -> allocator.append(3, 4));
        assertThrowsExactly(IllegalStateException.class, () -> allocator.append(8, 11));
        assertArrayEquals(new long[]{0, 4, 10, 12}, allocator.runs());
    }

    @Test
    void shouldTakeFromTheFrontOfRunsAndMergeContiguousOnes()
    {
        final Runs runs = runs(0, 2, 2, 5, 9, 10);
        assertEquals("Runs{[0, 5), [9, 10)}", runs.toString());
        assertEquals(0, runs.find(5));
        assertEquals(-1, runs.find(6));
        assertEquals(0, runs.take(0, 5));
        assertEquals(1, runs.count());
        assertEquals(9, runs.take(runs.find(1), 1));
        assertEquals(0, runs.count());
        assertEquals(0, runs.pages());
    }

    @Test
    void shouldNeverHandOutAPageTwiceUnderContention() throws Exception
    {
        final int pages = 200_000;
        final ExtentAllocator allocator = new ExtentAllocator(runs(0, pages / 2));
        final int threads = 8;
        final List<Runs> claimed = new ArrayList<>();
        final List<Thread> workers = new ArrayList<>();
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicBoolean appending = new AtomicBoolean(true);
        for (int t = 0; t < threads; t++)
        {
            final Runs mine = new Runs();
            claimed.add(mine);
            final int size = 1 + t * 7;
            workers.add(Thread.ofPlatform().start(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException ex)
                {
                    throw new AssertionError(ex);
                }
                while (true)
                {
                    final boolean last = !appending.get();
                    if (0 == allocator.claim(size, mine) && last)
                    {
                        return;
                    }
                }
            }));
        }
        final Thread appender = Thread.ofPlatform().start(() ->
        {
            for (long first = pages / 2; first < pages; first += 1000)
            {
                allocator.append(runs(first, first + 1000));
            }
            appending.set(false);
        });
        start.countDown();
        appender.join();
        for (final Thread worker : workers)
        {
            worker.join();
        }
        final BitSet seen = new BitSet(pages);
        for (final Runs runs : claimed)
        {
            for (int i = 0; i < runs.count(); i++)
            {
                for (long page = runs.start(i); page < runs.end(i); page++)
                {
                    assertFalse(seen.get((int)page), "page=" + page + " handed out twice");
                    seen.set((int)page);
                }
            }
        }
        assertEquals(pages, seen.cardinality());
        assertTrue(seen.nextClearBit(0) >= pages);
    }
}

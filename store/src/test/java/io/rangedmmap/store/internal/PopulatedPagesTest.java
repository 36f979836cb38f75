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
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hint of which pages were faulted in writable: runs are found by any page inside them and by none outside, a
 * later run over the same first page keeps the longer end, and a checkpoint's clear forgets them all; runs that
 * touch merge, the count is bounded, and lookups racing with adds never miss a page advised before they started.
 */
class PopulatedPagesTest
{
    @Test
    void shouldFindPagesInsideRunsOnly()
    {
        final PopulatedPages populated = new PopulatedPages();
        assertFalse(populated.contains(0), "empty at open");
        populated.add(10, 20);
        populated.add(100, 101);
        populated.add(10, 15);
        for (long page = 0; page < 200; page++)
        {
            final boolean inside = (page >= 10 && page < 20) || 100 == page;
            assertTrue(inside == populated.contains(page), "page " + page);
        }
        populated.clear();
        for (long page = 0; page < 200; page++)
        {
            assertFalse(populated.contains(page), "forgotten: page " + page);
        }
        populated.add(5, 6);
        assertTrue(populated.contains(5), "remembered again after a clear");
    }

    @Test
    void shouldMatchABitSetOverRandomRuns()
    {
        final SplittableRandom random = new SplittableRandom(14);
        for (int trial = 0; trial < 200; trial++)
        {
            final PopulatedPages populated = new PopulatedPages();
            final BitSet model = new BitSet();
            final int adds = 1 + random.nextInt(40);
            for (int i = 0; i < adds; i++)
            {
                final int first = random.nextInt(500);
                final int end = first + random.nextInt(1, 30);
                populated.add(first, end);
                model.set(first, end);
            }
            for (long page = 0; page < 540; page++)
            {
                assertEquals(model.get((int)page), populated.contains(page), "trial " + trial + " page " + page);
            }
            int modelRuns = 0;
            for (int at = model.nextSetBit(0); at >= 0; at = model.nextSetBit(model.nextClearBit(at)))
            {
                modelRuns++;
            }
            assertEquals(modelRuns, populated.runCount(), "touching runs merge: trial " + trial + " " + populated);
        }
    }

    @Test
    void shouldMergePageByPageAdviceIntoOneRun()
    {
        final PopulatedPages populated = new PopulatedPages();
        for (long page = 1_000; page < 101_000; page++)
        {
            populated.add(page, page + 1);
        }
        assertEquals(1, populated.runCount(), populated.toString());
        assertTrue(populated.contains(1_000) && populated.contains(100_999), populated.toString());
        assertFalse(populated.contains(999) || populated.contains(101_000), populated.toString());
        populated.add(7, 7);
        assertFalse(populated.contains(7), "an empty run is nothing");
        assertEquals(1, populated.runCount(), populated.toString());
    }

    @Test
    void shouldBoundTheRunsKeptAndStillMergeIntoThem()
    {
        final PopulatedPages populated = new PopulatedPages();
        for (long run = 0; run < PopulatedPages.MAX_RUNS + 10; run++)
        {
            populated.add(10 * run, 10 * run + 5);
        }
        assertEquals(PopulatedPages.MAX_RUNS, populated.runCount(), "runs beyond the bound are not remembered");
        assertTrue(populated.contains(10L * (PopulatedPages.MAX_RUNS - 1) + 4), "the last run kept");
        assertFalse(populated.contains(10L * PopulatedPages.MAX_RUNS), "the first run over the bound");
        // A run that merges into kept ones does not add to the count, so it is still remembered when full.
        populated.add(3, 12);
        assertEquals(PopulatedPages.MAX_RUNS - 1, populated.runCount(), populated.runCount() + " runs");
        assertTrue(populated.contains(5) && populated.contains(11), "merged while full");
        populated.clear();
        assertEquals(0, populated.runCount(), "forgotten");
    }

    /**
     * Four threads advise their own extents page by page while checking every page they advised so far, and two
     * threads look pages up all the while: an add publishes a superset of what was there, so no lookup misses a page
     * advised before it started, a page once found stays found, and the last state holds every page.
     */
    @Test
    void shouldNeverMissAnAdvisedPageUnderConcurrentAdds() throws InterruptedException
    {
        // Four writers of 500 pages advised every other page first: 1,000 runs at most, within the bound.
        for (int round = 0; round < 20; round++)
        {
            addAndLookUpConcurrently(4, 500);
        }
    }

    private static void addAndLookUpConcurrently(final int writers, final int pages) throws InterruptedException
    {
        final PopulatedPages populated = new PopulatedPages();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        final AtomicBoolean done = new AtomicBoolean();
        for (int w = 0; w < writers; w++)
        {
            final long base = 1_000_000L * w;
            threads.add(new Thread(() ->
            {
                try
                {
                    start.await();
                    for (long page = 0; page < pages; page++)
                    {
                        // Every other page, so the extent stays many runs until the second pass fills the gaps.
                        final long at = base + (page < pages / 2 ? 2 * page : 2 * (page - pages / 2) + 1);
                        populated.add(at, at + 1);
                        if (!populated.contains(at) || !populated.contains(base))
                        {
                            throw new AssertionError("missed " + at + " or " + base);
                        }
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            }));
        }
        for (int r = 0; r < 2; r++)
        {
            threads.add(new Thread(() ->
            {
                // Once a lookup found a writer's first page, every later lookup must find it too.
                final boolean[] seen = new boolean[writers];
                while (!done.get() && null == failure.get())
                {
                    for (int w = 0; w < writers; w++)
                    {
                        final boolean found = populated.contains(1_000_000L * w);
                        if (seen[w] && !found)
                        {
                            failure.compareAndSet(null, new AssertionError("lost the first page of writer " + w));
                        }
                        seen[w] |= found;
                    }
                }
            }));
        }
        for (final Thread thread : threads)
        {
            thread.start();
        }
        start.countDown();
        for (int i = 0; i < writers; i++)
        {
            threads.get(i).join();
        }
        done.set(true);
        for (int i = writers; i < threads.size(); i++)
        {
            threads.get(i).join(10_000);
        }
        if (null != failure.get())
        {
            throw new AssertionError(failure.get());
        }
        assertEquals(writers, populated.runCount(), "each extent merged into one run: " + populated);
        for (int w = 0; w < writers; w++)
        {
            for (long page = 0; page < pages; page++)
            {
                assertTrue(populated.contains(1_000_000L * w + page), "page " + page + " of writer " + w);
            }
        }
    }
}

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
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageTableTest
{
    @Test
    void shouldStartWithEveryPageFree()
    {
        final PageTable table = new PageTable(100);
        assertEquals(100, table.size());
        for (int page = 0; page < table.size(); page++)
        {
            assertEquals(PageTable.FREE, table.stateAcquire(page));
            assertEquals(0, table.crc(page));
        }
        assertArrayEquals(new long[]{0, 0, 0}, table.countLiveAndInFlight());
    }

    @Test
    void shouldKeepEveryEntryFreeAndWritableAfterTheFillAdvice()
    {
        // 4 MiB of entries: at least one whole 2 MiB page inside the advised range, and edges outside it.
        final long pages = 1L << 19;
        final PageTable table = new PageTable(pages / 2, pages);
        table.adviseFill(pages / 2);
        table.adviseFill(0);
        table.adviseFill(pages * 4);
        for (long page = 0; page < pages; page++)
        {
            assertEquals(PageTable.FREE, table.statePlain(page), "page " + page);
        }
        for (long page = 0; page < pages / 2; page++)
        {
            table.setCrc(page, (int)page * 31);
            table.setStateRelease(page, PageTable.LIVE);
        }
        for (long page = 0; page < pages; page++)
        {
            final boolean filled = page < pages / 2;
            assertEquals(filled ? PageTable.LIVE : PageTable.FREE, table.stateAcquire(page), "page " + page);
            assertEquals(filled ? (int)page * 31 : 0, table.crc(page), "page " + page);
        }
        final PageTable small = new PageTable(10);
        small.adviseFill(10);
        assertEquals(PageTable.FREE, small.stateAcquire(9));
    }

    @Test
    void shouldKeepTheOwnerOfAnAllocatedPageApartFromItsState()
    {
        final int mine = PageTable.allocatedBy(7);
        final int theirs = PageTable.allocatedBy(8);
        assertEquals(PageTable.ALLOCATED, PageTable.stateOf(mine));
        assertEquals(PageTable.ALLOCATED, PageTable.stateOf(theirs));
        assertNotEquals(mine, theirs, "two writers' allocations must differ");
        for (final int state : new int[]{PageTable.FREE, PageTable.WRITTEN, PageTable.LIVE, PageTable.FREEING})
        {
            assertEquals(state, PageTable.stateOf(state));
            assertNotEquals(PageTable.ALLOCATED, PageTable.stateOf(state));
        }
        assertEquals("FREE", PageTable.nameOf(PageTable.FREE));
        assertEquals("LIVE", PageTable.nameOf(PageTable.LIVE));
        assertTrue(PageTable.nameOf(mine).startsWith("ALLOCATED"), PageTable.nameOf(mine));
    }

    @Test
    void shouldChangeAStateOnlyFromTheExpectedWord()
    {
        final PageTable table = new PageTable(4);
        final int word = PageTable.allocatedBy(3);
        assertTrue(table.compareAndSetState(2, PageTable.FREE, word));
        assertFalse(table.compareAndSetState(2, PageTable.FREE, PageTable.allocatedBy(4)), "already allocated");
        assertFalse(table.compareAndSetState(2, PageTable.allocatedBy(4), PageTable.FREE), "not its owner");
        assertEquals(word, table.statePlain(2));
        assertTrue(table.compareAndSetState(2, word, PageTable.FREE));
        assertEquals(PageTable.FREE, table.stateAcquire(2));
    }

    @Test
    void shouldCountLiveAndInFlightPages()
    {
        final PageTable table = new PageTable(10);
        table.setStateRelease(0, PageTable.LIVE);
        table.setStateRelease(1, PageTable.FREEING);
        table.setStateRelease(2, PageTable.WRITTEN);
        table.setStateRelease(3, PageTable.allocatedBy(1));
        table.setStateRelease(4, PageTable.allocatedBy(2));
        assertArrayEquals(new long[]{2, 3, 1}, table.countLiveAndInFlight());
    }

    /**
     * Many threads race to allocate every page of a table by compare-and-set, round after round: each page goes to
     * exactly one of them.
     */
    @Test
    void shouldGiveEachPageToExactlyOneOfManyAllocators() throws Exception
    {
        final int threads = 8;
        final int pages = 512;
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        try
        {
            for (int round = 0; round < 100; round++)
            {
                final PageTable table = new PageTable(pages);
                final CyclicBarrier start = new CyclicBarrier(threads);
                final List<Future<Integer>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++)
                {
                    final int owner = t + 1;
                    futures.add(pool.submit(() ->
                    {
                        start.await();
                        int won = 0;
                        for (int page = 0; page < pages; page++)
                        {
                            if (table.compareAndSetState(page, PageTable.FREE, PageTable.allocatedBy(owner)))
                            {
                                won++;
                            }
                        }
                        return won;
                    }));
                }
                int total = 0;
                for (final Future<Integer> future : futures)
                {
                    total += future.get(30, TimeUnit.SECONDS);
                }
                assertEquals(pages, total, "round " + round);
                assertArrayEquals(new long[]{0, pages, 0}, table.countLiveAndInFlight());
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }

    /**
     * The page-state publication litmus, many rounds: a writer sets a page's CRC (plain) then publishes WRITTEN
     * (release); a reader that sees WRITTEN (acquire) must see that CRC, never the previous one. Allowed outcomes for
     * the reader: FREE (not yet published) or WRITTEN with the new CRC; forbidden: WRITTEN with the old CRC.
     */
    @Test
    void shouldShowTheCrcToAReaderThatSeesTheWrittenState() throws Exception
    {
        final int pages = 4_096;
        final int rounds = 50;
        final AtomicInteger forbidden = new AtomicInteger();
        final AtomicInteger seenWritten = new AtomicInteger();
        for (int round = 0; round < rounds; round++)
        {
            final PageTable table = new PageTable(pages);
            final int crcBase = round * pages;
            final CyclicBarrier start = new CyclicBarrier(2);
            final Thread writer = Thread.ofPlatform().start(() ->
            {
                await(start);
                for (int page = 0; page < pages; page++)
                {
                    table.setCrc(page, crcBase + page + 1);
                    table.setStateRelease(page, PageTable.WRITTEN);
                }
            });
            final Thread reader = Thread.ofPlatform().start(() ->
            {
                await(start);
                int page = 0;
                while (page < pages)
                {
                    final int state = table.stateAcquire(page);
                    if (PageTable.WRITTEN == state)
                    {
                        seenWritten.incrementAndGet();
                        if (crcBase + page + 1 != table.crc(page))
                        {
                            forbidden.incrementAndGet();
                        }
                        page++;
                    }
                    else
                    {
                        Thread.onSpinWait();
                    }
                }
            });
            writer.join(30_000);
            reader.join(30_000);
            assertFalse(writer.isAlive() || reader.isAlive(), "hung in round " + round);
        }
        assertEquals(0, forbidden.get(), "a reader saw WRITTEN with a stale CRC");
        assertEquals((long)pages * rounds, seenWritten.get());
    }

    private static void await(final CyclicBarrier barrier)
    {
        try
        {
            barrier.await();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}

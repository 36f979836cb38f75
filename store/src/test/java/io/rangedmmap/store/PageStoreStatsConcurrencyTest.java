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
package io.rangedmmap.store;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PageStore#stats()} under contention: 8 writer threads allocate runs, write, discard by id and by receipt,
 * close and replace their writers, and hand receipts to a checkpointer thread, which checkpoints them (blocking and
 * asynchronous) and frees pages it made live, on a small store where writers run out of pages (and take them back
 * from each other) or on one that grows; a ninth thread calls {@code stats()} all along. Every one of its results
 * has no negative count, its written pages among those in flight and no page counted twice (live plus in flight
 * within the page count); at the end of each round, all threads quiescent, the stats equal a full pass over the page
 * table, also after the reopens between rounds.
 */
@Timeout(600)
class PageStoreStatsConcurrencyTest
{
    private static final int WRITERS = 8;
    private static final AtomicLong FULL = new AtomicLong();

    @TempDir
    Path dir;

    @Test
    void shouldMatchTheFullScanAtQuiescenceAndNeverGoNegativeOnAFullStore() throws Exception
    {
        contend(StoreOptions.defaults().withExtentPages(1), 128, 120, 200, 21);
    }

    @Test
    void shouldMatchTheFullScanAtQuiescenceAndNeverGoNegativeWhileGrowing() throws Exception
    {
        contend(StoreOptions.defaults().withExtentPages(8).withMaxPages(1 << 16).withGrowthPages(32), 64, 60, 200,
            22);
    }

    @Test
    @Tag("soak")
    @Timeout(value = 2, unit = TimeUnit.HOURS)
    void shouldMatchTheFullScanOver20000Rounds() throws Exception
    {
        contend(StoreOptions.defaults().withExtentPages(16), 512, 20_000, 200, 23);
    }

    /**
     * A writer thread's state across rounds: its writer, the pages it holds allocated and its receipts not handed to
     * the checkpointer yet.
     */
    private static final class Worker
    {
        PageWriter writer;
        final List<Long> allocated = new ArrayList<>();
        final List<PageReceipt> written = new ArrayList<>();
        final Random random;

        Worker(final long seed)
        {
            random = new Random(seed);
        }
    }

    private void contend(final StoreOptions options, final long pages, final int rounds, final int ops,
        final long seed) throws Exception
    {
        final Path file = dir.resolve("stats-concurrency.store");
        PageStore store = PageStore.create(file, pages, options, NoFlushIo.INSTANCE);
        final Worker[] workers = new Worker[WRITERS];
        for (int i = 0; i < WRITERS; i++)
        {
            workers[i] = new Worker(seed * 1_000 + i);
            workers[i].writer = store.newWriter();
        }
        final List<Long> live = new ArrayList<>();
        final Random random = new Random(seed);
        final AtomicLong polls = new AtomicLong();
        try
        {
            for (int round = 0; round < rounds; round++)
            {
                round(store, workers, live, random.nextLong(), ops, polls);
                check(store, "round " + round);
                if (9 == round % 10)
                {
                    for (final Worker worker : workers)
                    {
                        worker.writer.close();
                        worker.allocated.clear();
                        worker.written.clear();
                    }
                    store.close();
                    store = PageStore.open(file, options, NoFlushIo.INSTANCE);
                    for (final Worker worker : workers)
                    {
                        worker.writer = store.newWriter();
                    }
                    // Staged frees were never checkpointed: those pages are live again, and stay in the list.
                    check(store, "reopen after round " + round);
                    assertEquals(live.size(), store.stats().livePages(), "live pages after reopen");
                }
            }
        }
        finally
        {
            for (final Worker worker : workers)
            {
                worker.writer.close();
            }
            store.close();
        }
        assertTrue(polls.get() >= rounds, "stats() was called " + polls.get() + " times in " + rounds + " rounds");
        System.out.println("stats concurrency: rounds=" + rounds + " polls=" + polls.get() + " full=" + FULL.get());
    }

    /**
     * One round: the writers, the checkpointer and the poller start together; the round ends when the writers are
     * done and the checkpointer has checkpointed everything they handed it.
     */
    private static void round(final PageStore store, final Worker[] workers, final List<Long> live, final long seed,
        final int ops, final AtomicLong polls) throws InterruptedException
    {
        final ConcurrentLinkedQueue<PageReceipt> handed = new ConcurrentLinkedQueue<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch start = new CountDownLatch(1);
        final CountDownLatch writersDone = new CountDownLatch(WRITERS);
        final List<Thread> threads = new ArrayList<>();
        for (final Worker worker : workers)
        {
            threads.add(new Thread(() -> run(failure, start, () ->
            {
                try
                {
                    work(store, worker, handed, ops);
                }
                finally
                {
                    writersDone.countDown();
                }
            }), "stats-writer"));
        }
        final Thread checkpointer = new Thread(() -> run(failure, start, () ->
            checkpoints(store, handed, live, new Random(seed), writersDone)), "stats-checkpointer");
        final Thread poller = new Thread(() -> run(failure, start, () ->
        {
            do
            {
                checkNonNegative(store.stats());
                polls.incrementAndGet();
            }
            while (0 != writersDone.getCount() || !handed.isEmpty());
        }), "stats-poller");
        threads.add(checkpointer);
        threads.add(poller);
        for (final Thread thread : threads)
        {
            thread.start();
        }
        start.countDown();
        for (final Thread thread : threads)
        {
            thread.join();
        }
        if (null != failure.get())
        {
            throw new AssertionError("a thread failed", failure.get());
        }
    }

    private interface Body
    {
        void run() throws Exception;
    }

    private static void run(final AtomicReference<Throwable> failure, final CountDownLatch start, final Body body)
    {
        try
        {
            start.await();
            body.run();
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }

    private static void work(final PageStore store, final Worker worker,
        final ConcurrentLinkedQueue<PageReceipt> handed, final int ops)
    {
        final Random random = worker.random;
        for (int op = 0; op < ops; op++)
        {
            final int action = random.nextInt(100);
            if (action < 30)
            {
                final int count = 1 + random.nextInt(4);
                try
                {
                    final long first = worker.writer.allocate(count);
                    for (long page = first; page < first + count; page++)
                    {
                        worker.allocated.add(page);
                    }
                }
                catch (final StoreFullException full)
                {
                    // Give everything back, as an engine aborting its transactions would.
                    FULL.incrementAndGet();
                    for (final PageReceipt receipt : worker.written)
                    {
                        worker.writer.discard(receipt);
                    }
                    worker.written.clear();
                    for (final long page : worker.allocated)
                    {
                        worker.writer.discard(page);
                    }
                    worker.allocated.clear();
                }
            }
            else if (action < 60 && !worker.allocated.isEmpty())
            {
                final long page = worker.allocated.remove(random.nextInt(worker.allocated.size()));
                worker.written.add(worker.writer.write(page, page(page)));
            }
            else if (action < 68 && !worker.written.isEmpty())
            {
                worker.writer.discard(worker.written.remove(random.nextInt(worker.written.size())));
            }
            else if (action < 74 && !worker.allocated.isEmpty())
            {
                worker.writer.discard((long)worker.allocated.remove(random.nextInt(worker.allocated.size())));
            }
            else if (action < 97)
            {
                handed.addAll(worker.written);
                worker.written.clear();
            }
            else
            {
                // Its receipts can still be checkpointed once it is closed; its allocated pages are free again.
                handed.addAll(worker.written);
                worker.written.clear();
                worker.writer.close();
                worker.allocated.clear();
                worker.writer = store.newWriter();
            }
        }
        handed.addAll(worker.written);
        worker.written.clear();
    }

    private static void checkpoints(final PageStore store, final ConcurrentLinkedQueue<PageReceipt> handed,
        final List<Long> live, final Random random, final CountDownLatch writersDone)
    {
        while (0 != writersDone.getCount() || !handed.isEmpty())
        {
            final List<PageReceipt> batch = new ArrayList<>();
            for (PageReceipt receipt = handed.poll(); null != receipt && batch.size() < 64; receipt = handed.poll())
            {
                batch.add(receipt);
            }
            final int frees = live.isEmpty() ? 0 : random.nextInt(Math.min(live.size(), 48) + 1);
            for (int i = 0; i < frees; i++)
            {
                store.free(live.remove(random.nextInt(live.size())));
            }
            if (random.nextBoolean())
            {
                store.checkpoint(batch);
            }
            else
            {
                store.checkpointAsync(batch).join();
            }
            for (final PageReceipt receipt : batch)
            {
                live.add(receipt.pageId());
            }
        }
    }

    private static void checkNonNegative(final StoreStats stats)
    {
        final boolean sane = stats.livePages() >= 0 && stats.inFlightPages() >= 0 && stats.freePages() >= 0 &&
            stats.writtenPages() >= 0 && stats.writtenPages() <= stats.inFlightPages() &&
            stats.livePages() + stats.inFlightPages() <= stats.pageCount();
        if (!sane)
        {
            throw new AssertionError("stats with a negative count or a page counted twice: " + stats);
        }
    }

    private static void check(final PageStore store, final String when)
    {
        // A growth ahead an allocation started could add pages between the stats and the page count read below.
        store.awaitGrowthAhead();
        final StoreStats stats = store.stats();
        checkNonNegative(stats);
        final long[] scan = store.table().countLiveAndInFlight();
        assertArrayEquals(scan, new long[]{stats.livePages(), stats.inFlightPages(), stats.writtenPages()},
            when + ": stats " + stats + " against the full scan " + Arrays.toString(scan));
        assertEquals(store.pageCount(), stats.pageCount(), when);
    }
}

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No open writer keeps free space from the others: {@code allocate(count)} takes back the free pages other writers
 * claimed and did not hand out (busy or idle), so that it succeeds whenever the store holds a run of {@code count}
 * free pages or can grow to make one.
 *
 * <p>The contention tests run rounds in which 2, 4 or 8 writer threads churn (allocate, write, discard, close and
 * reopen their writers) and then fill the store to exactly its capacity (a fixed store, or a growable one to its
 * maxPages). Each round uses one run length {@code s} for every allocate; extents and sizes are multiples of it and
 * pages go back a whole run at a time (single pages only when {@code s == 1}), so the free space is always made of
 * aligned runs of {@code s}, and a shared budget of free pages (taken before an allocate, given back only once the
 * pages are back in the store) says when an allocate must succeed: every one of them must. A shared owner table
 * checks that no page is ever handed out twice; at the end of each round the store is full (a further allocate fails)
 * and, once everything is released, entirely free again.
 */
@Timeout(600)
class PageWriterStealConcurrencyTest
{
    private static final int[] SIZES = {1, 2, 4, 8};
    private static final int PAGES = 512;
    private static final int EXTENT = 16;
    private static final int ROUNDS = 30;
    private static final int CHURN = 150;

    @TempDir
    Path dir;

    @Test
    void shouldTakeBackTheFreePagesOfIdleWritersToMakeARun() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("idle.store"), 128,
            StoreOptions.defaults().withExtentPages(64), NoFlushIo.INSTANCE))
        {
            final PageWriter first = store.newWriter();
            final PageWriter second = store.newWriter();
            // Each takes one page and holds the other 63 of its extent, then stays open and idle.
            assertEquals(0, first.allocate());
            assertEquals(64, second.allocate());
            first.discard(0);
            second.discard(64);
            try (PageWriter third = store.newWriter())
            {
                // The pool holds pages 0 and 64 only; the run is made of both extents and both pages.
                assertEquals(0, third.allocate(128));
                assertEquals(0, store.stats().freePages());
                assertThrowsExactly(StoreFullException.class, first::allocate);
                for (long page = 0; page < 128; page++)
                {
                    third.discard(page);
                }
            }
            // The idle writers' extents are empty now: they refill from the pool as any writer does.
            assertEquals(0, first.allocate());
            assertEquals(64, second.allocate(64));
            first.close();
            second.close();
            assertEquals(128, store.stats().freePages());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void shouldSucceedEveryAllocateTheFreePagesAllowWhenWritersFillAFixedStore(final int writers) throws Exception
    {
        try (PageStore store = PageStore.create(dir.resolve("fixed.store"), PAGES,
            StoreOptions.defaults().withExtentPages(EXTENT), NoFlushIo.INSTANCE))
        {
            final Random random = new Random(writers * 7919L);
            for (int round = 0; round < ROUNDS; round++)
            {
                new Round(store, writers, SIZES[random.nextInt(SIZES.length)], random.nextLong()).run();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void shouldSucceedEveryAllocateTheFreePagesAllowWhenWritersFillAGrowableStore(final int writers) throws Exception
    {
        final Random random = new Random(writers * 104_729L);
        for (int round = 0; round < ROUNDS; round++)
        {
            final Path path = dir.resolve("growable-" + round + ".store");
            try (PageStore store = PageStore.create(path, 64,
                StoreOptions.defaults().withExtentPages(EXTENT).withMaxPages(PAGES).withGrowthPages(64),
                NoFlushIo.INSTANCE))
            {
                new Round(store, writers, SIZES[random.nextInt(SIZES.length)], random.nextLong()).run();
                assertEquals(PAGES, store.pageCount(), "filled to its maxPages");
            }
            Files.delete(path);
        }
    }

    /**
     * One round: churn, fill to capacity, check, release.
     */
    private static final class Round
    {
        final PageStore store;
        final int writers;
        final int size;
        final long seed;
        final AtomicLong budget = new AtomicLong(PAGES);
        final AtomicLongArray owners = new AtomicLongArray(PAGES);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CyclicBarrier filled;
        final CyclicBarrier checked;
        final List<PageReceipt> receipts = new ArrayList<>();

        Round(final PageStore store, final int writers, final int size, final long seed)
        {
            this.store = store;
            this.writers = writers;
            this.size = size;
            this.seed = seed;
            this.filled = new CyclicBarrier(writers + 1);
            this.checked = new CyclicBarrier(writers + 1);
        }

        /**
         * Runs a step unless an earlier step of the round failed, recording its failure.
         */
        private void phase(final Step step)
        {
            try
            {
                if (null == failure.get())
                {
                    step.run();
                }
            }
            catch (final Throwable ex)
            {
                failure.compareAndSet(null, ex);
            }
        }

        /**
         * Waits for the other threads of the round, even after a failure; a barrier that times out (a thread stuck in
         * the store) fails the round.
         */
        private void meet(final CyclicBarrier barrier)
        {
            try
            {
                barrier.await(2, TimeUnit.MINUTES);
            }
            catch (final Exception ex)
            {
                failure.compareAndSet(null, ex);
            }
        }

        void run() throws Exception
        {
            final CyclicBarrier churned = new CyclicBarrier(writers);
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < writers; t++)
            {
                final Worker worker = new Worker(this, t + 1, new Random(seed + t));
                threads.add(Thread.ofPlatform().start(() ->
                {
                    // A failed phase is recorded and the thread still meets the others at each barrier, so that a
                    // failure ends the round instead of leaving the others waiting.
                    phase(worker::churn);
                    meet(churned);
                    phase(worker::fill);
                    meet(filled);
                    meet(checked);
                    phase(worker::release);
                }));
            }
            meet(filled);
            phase(() ->
            {
                final StoreStats stats = store.stats();
                assertEquals(0, stats.freePages(), "full after the fill: " + stats);
                try (PageWriter late = store.newWriter())
                {
                    assertThrowsExactly(StoreFullException.class, late::allocate);
                }
            });
            meet(checked);
            for (final Thread thread : threads)
            {
                thread.join();
            }
            if (null != failure.get())
            {
                throw new AssertionError("round with " + writers + " writers, run length " + size + ", seed " +
                    seed + " failed", failure.get());
            }
            // Written pages of every writer, closed or not, are checkpointed and freed: the store is empty again.
            store.checkpoint(receipts);
            for (final PageReceipt receipt : receipts)
            {
                store.free(receipt.pageId());
            }
            store.checkpoint(List.of());
            assertEquals(store.pageCount(), store.stats().freePages(), "everything released");
        }
    }

    /**
     * A step of a round that may throw.
     */
    @FunctionalInterface
    private interface Step
    {
        void run() throws Exception;
    }

    /**
     * One writer thread of a round and the runs it holds.
     */
    private static final class Worker
    {
        final Round round;
        final long me;
        final Random random;
        final int size;
        final List<Long> unwritten = new ArrayList<>();
        final List<List<PageReceipt>> written = new ArrayList<>();
        PageWriter writer;

        Worker(final Round round, final long me, final Random random)
        {
            this.round = round;
            this.me = me;
            this.random = random;
            this.size = round.size;
        }

        void churn()
        {
            writer = round.store.newWriter();
            for (int op = 0; op < CHURN; op++)
            {
                final int action = random.nextInt(100);
                if (action < 20 && 1 == size && !unwritten.isEmpty())
                {
                    final long page = unwritten.remove(random.nextInt(unwritten.size()));
                    release(page);
                    writer.discard(page);
                    round.budget.addAndGet(1);
                }
                else if (action < 30 && 1 == size && !written.isEmpty())
                {
                    // Discarded only while this writer is open: a closed writer's receipts are checkpointed.
                    final PageReceipt receipt = written.removeLast().getFirst();
                    release(receipt.pageId());
                    writer.discard(receipt);
                    round.budget.addAndGet(1);
                }
                else if (action < 45 && !unwritten.isEmpty())
                {
                    write(unwritten.remove(random.nextInt(unwritten.size())));
                }
                else if (action < 52)
                {
                    reopen();
                }
                else
                {
                    tryAllocate();
                }
            }
        }

        void fill()
        {
            while (tryAllocate())
            {
                // Until the budget is spent: together the writers allocate exactly the store's capacity.
            }
        }

        void release()
        {
            writer.close();
            synchronized (round.receipts)
            {
                for (final List<PageReceipt> run : written)
                {
                    round.receipts.addAll(run);
                }
            }
        }

        /**
         * Closes the writer, which returns its extent and its unwritten runs at once, and opens a new one.
         */
        private void reopen()
        {
            for (final long first : unwritten)
            {
                release(first);
            }
            writer.close();
            round.budget.addAndGet((long)size * unwritten.size());
            unwritten.clear();
            if (1 == size)
            {
                // Single pages may come back one at a time: the old writer's receipts are committed at the end.
                synchronized (round.receipts)
                {
                    for (final List<PageReceipt> run : written)
                    {
                        round.receipts.addAll(run);
                    }
                }
                written.clear();
            }
            writer = round.store.newWriter();
        }

        private boolean tryAllocate()
        {
            if (round.budget.addAndGet(-size) < 0)
            {
                round.budget.addAndGet(size);
                return false;
            }
            final long first;
            try
            {
                first = 1 == size && random.nextBoolean() ? writer.allocate() : writer.allocate(size);
            }
            catch (final StoreFullException ex)
            {
                throw new AssertionError("allocate(" + size + ") failed with " + round.budget.get() + " pages " +
                    "not yet reserved and this one reserved; " + round.store.stats(), ex);
            }
            for (long page = first; page < first + size; page++)
            {
                if (!round.owners.compareAndSet((int)page, 0, me))
                {
                    throw new AssertionError("page " + page + " handed out to writer " + me + " while writer " +
                        round.owners.get((int)page) + " holds it");
                }
            }
            unwritten.add(first);
            return true;
        }

        private void write(final long first)
        {
            final List<PageReceipt> run = new ArrayList<>();
            for (long page = first; page < first + size; page++)
            {
                run.add(writer.write(page, page(page)));
            }
            written.add(run);
        }

        private void release(final long first)
        {
            for (long page = first; page < first + size; page++)
            {
                assertTrue(round.owners.compareAndSet((int)page, me, 0), "page " + page + " held by " + me);
            }
        }
    }
}

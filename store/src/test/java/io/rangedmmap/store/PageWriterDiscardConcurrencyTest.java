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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.rangedmmap.store.PageStoreTest.page;
import static io.rangedmmap.store.PageStoreTest.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Discards under contention: 8 writer threads allocate runs, write, discard by id and by receipt, free and
 * checkpoint their own pages at once (group commit), round after round, and race a discard of each of some receipts
 * against a checkpoint of the same receipt from a ninth thread. No page is ever handed out twice (a shared map of
 * held pages is checked at every allocation), exactly one of each racing discard and checkpoint succeeds, and at the
 * end no page leaked: the counts match, every free page can be allocated again, and every live page reads back.
 */
@Timeout(300)
class PageWriterDiscardConcurrencyTest
{
    private static final int THREADS = 8;
    private static final long PAGES = 600;

    @TempDir
    Path dir;

    @Test
    void shouldHandNoPageOutTwiceAndLeakNoneUnderDiscardsFreesAndCheckpoints() throws Exception
    {
        contend(1_000, 11);
    }

    @Test
    @Tag("soak")
    @Timeout(value = 2, unit = TimeUnit.HOURS)
    void shouldHandNoPageOutTwiceAndLeakNoneOver100000Rounds() throws Exception
    {
        contend(100_000, 12);
    }

    /**
     * One racing receipt, handed from a writer to the racer: the racer checkpoints it while the writer discards it.
     */
    private static final class Race
    {
        final PageReceipt receipt;
        final CyclicBarrier start = new CyclicBarrier(2);
        volatile Boolean checkpointed;

        Race(final PageReceipt receipt)
        {
            this.receipt = receipt;
        }
    }

    private void contend(final int rounds, final long seed) throws Exception
    {
        final PageStore store = PageStore.create(dir.resolve("s.store"), PAGES,
            StoreOptions.defaults().withExtentPages(4), NoFlushIo.INSTANCE);
        final Map<Long, String> held = new ConcurrentHashMap<>();
        final Map<Long, Long> live = new ConcurrentHashMap<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicReference<Race> handoff = new AtomicReference<>();
        final AtomicLong discardsWon = new AtomicLong();
        final AtomicLong checkpointsWon = new AtomicLong();
        final AtomicLong full = new AtomicLong();
        final List<Thread> threads = new ArrayList<>();
        final AtomicLong running = new AtomicLong(THREADS);
        threads.add(Thread.ofPlatform().start(() -> race(store, handoff, running, failure)));
        for (int t = 0; t < THREADS; t++)
        {
            final int thread = t;
            threads.add(Thread.ofPlatform().start(() ->
            {
                try (PageWriter writer = store.newWriter())
                {
                    final Worker worker = new Worker(store, writer, held, live, new Random(seed * 100 + thread),
                        "thread " + thread);
                    for (int round = 0; round < rounds && null == failure.get(); round++)
                    {
                        worker.round(round, handoff, discardsWon, checkpointsWon, full);
                    }
                    worker.freeAll();
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
                finally
                {
                    running.decrementAndGet();
                }
            }));
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        if (null != failure.get())
        {
            throw new AssertionError("a thread failed", failure.get());
        }
        store.checkpoint(List.of());
        checkNothingLeaked(store, live);
        store.close();
        System.out.println("discard contention: threads=" + THREADS + " rounds=" + rounds + " races won by " +
            "discard=" + discardsWon + " by checkpoint=" + checkpointsWon + " store full=" + full);
        assertTrue(discardsWon.get() + checkpointsWon.get() > rounds, "races=" + discardsWon + "+" + checkpointsWon);
    }

    private static void checkNothingLeaked(final PageStore store, final Map<Long, Long> live)
    {
        assertEquals(new StoreStats(PAGES, live.size(), PAGES - live.size(), 0, store.lastCheckpoint(), 0),
            store.stats());
        for (final Map.Entry<Long, Long> entry : live.entrySet())
        {
            assertArrayEquals(page(entry.getValue()), read(store, entry.getKey()), "page " + entry.getKey());
        }
        try (PageWriter writer = store.newWriter())
        {
            final Set<Long> seen = new HashSet<>(live.keySet());
            for (long n = 0; n < PAGES - live.size(); n++)
            {
                final long page = writer.allocate();
                assertTrue(seen.add(page), "page " + page + " handed out while live or twice");
            }
            assertThrowsExactly(StoreFullException.class, writer::allocate);
        }
        // Every free page is back in one coalesced pool: the longest free run can be allocated whole.
        long longest = 0;
        long run = 0;
        for (long page = 0; page < PAGES; page++)
        {
            run = live.containsKey(page) ? 0 : run + 1;
            longest = Math.max(longest, run);
        }
        try (PageWriter writer = store.newWriter())
        {
            final long first = writer.allocate((int)longest);
            for (long page = first; page < first + longest; page++)
            {
                assertTrue(!live.containsKey(page), "page " + page + " is live");
            }
        }
    }

    /**
     * The racer: takes each receipt a writer hands off, and checkpoints it at the same instant as the writer
     * discards it.
     */
    private static void race(final PageStore store, final AtomicReference<Race> handoff, final AtomicLong running,
        final AtomicReference<Throwable> failure)
    {
        try
        {
            while (running.get() > 0 && null == failure.get())
            {
                final Race race = handoff.getAndSet(null);
                if (null == race)
                {
                    Thread.onSpinWait();
                    continue;
                }
                race.start.await(60, TimeUnit.SECONDS);
                boolean won;
                try
                {
                    store.checkpoint(List.of(race.receipt));
                    won = true;
                }
                catch (final IllegalArgumentException | IllegalStateException lost)
                {
                    won = false;
                }
                race.checkpointed = won;
            }
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }

    /**
     * One writer thread's pages and moves.
     */
    private static final class Worker
    {
        private final PageStore store;
        private final PageWriter writer;
        private final Map<Long, String> held;
        private final Map<Long, Long> live;
        private final Random random;
        private final String name;
        private final List<Long> mine = new ArrayList<>();
        private long content;

        Worker(final PageStore store, final PageWriter writer, final Map<Long, String> held,
            final Map<Long, Long> live, final Random random, final String name)
        {
            this.store = store;
            this.writer = writer;
            this.held = held;
            this.live = live;
            this.random = random;
            this.name = name;
            this.content = (long)name.hashCode() << 32;
        }

        void round(final int round, final AtomicReference<Race> handoff, final AtomicLong discardsWon,
            final AtomicLong checkpointsWon, final AtomicLong full) throws Exception
        {
            final int count = 1 + random.nextInt(3);
            final long first;
            try
            {
                first = writer.allocate(count);
            }
            catch (final StoreFullException ex)
            {
                full.incrementAndGet();
                freeSome(mine.size());
                return;
            }
            final List<PageReceipt> receipts = new ArrayList<>();
            final Map<Long, Long> contents = new java.util.HashMap<>();
            for (long page = first; page < first + count; page++)
            {
                final String other = held.putIfAbsent(page, name + " round " + round);
                assertEquals(null, other, "page " + page + " handed to " + name + " but held by " + other);
                if (0 == random.nextInt(4))
                {
                    // Out of the model first: once discarded, another thread may get the page at once.
                    held.remove(page);
                    writer.discard(page);
                    continue;
                }
                receipts.add(writer.write(page, page(++content)));
                contents.put(page, content);
            }
            final int move = random.nextInt(3);
            if (0 == move)
            {
                for (final PageReceipt receipt : receipts)
                {
                    held.remove(receipt.pageId());
                    writer.discard(receipt);
                }
            }
            else if (1 == move || receipts.isEmpty())
            {
                store.checkpoint(receipts);
                receipts.forEach(receipt -> becomeLive(receipt.pageId(), contents));
            }
            else
            {
                final PageReceipt contested = receipts.removeFirst();
                raceFor(contested, handoff, contents, discardsWon, checkpointsWon);
                receipts.forEach(receipt -> held.remove(receipt.pageId()));
                receipts.forEach(writer::discard);
            }
            if (mine.size() > PAGES / (2 * THREADS))
            {
                freeSome(2);
            }
        }

        private void raceFor(final PageReceipt contested, final AtomicReference<Race> handoff,
            final Map<Long, Long> contents, final AtomicLong discardsWon, final AtomicLong checkpointsWon)
            throws Exception
        {
            final Race race = new Race(contested);
            while (!handoff.compareAndSet(null, race))
            {
                Thread.onSpinWait();
            }
            held.remove(contested.pageId());
            race.start.await(60, TimeUnit.SECONDS);
            boolean discarded;
            try
            {
                writer.discard(contested);
                discarded = true;
            }
            catch (final IllegalStateException lost)
            {
                discarded = false;
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (null == race.checkpointed)
            {
                assertTrue(System.nanoTime() < deadline, "the racer never finished its checkpoint");
                Thread.onSpinWait();
            }
            assertTrue(discarded != race.checkpointed, "page " + contested.pageId() + ": discarded=" + discarded +
                " checkpointed=" + race.checkpointed + ", exactly one must win");
            if (discarded)
            {
                discardsWon.incrementAndGet();
                return;
            }
            checkpointsWon.incrementAndGet();
            final String other = held.putIfAbsent(contested.pageId(), name + " (live after a race)");
            assertEquals(null, other, "page " + contested.pageId() + " live but handed to " + other);
            live.put(contested.pageId(), contents.get(contested.pageId()));
            mine.add(contested.pageId());
        }

        private void becomeLive(final long page, final Map<Long, Long> contents)
        {
            live.put(page, contents.get(page));
            mine.add(page);
        }

        private void freeSome(final int count)
        {
            for (int i = 0; i < count && !mine.isEmpty(); i++)
            {
                final long page = mine.remove(random.nextInt(mine.size()));
                live.remove(page);
                held.remove(page);
                store.free(page);
            }
            if (random.nextBoolean())
            {
                store.checkpoint(List.of());
            }
        }

        void freeAll()
        {
            freeSome(mine.size() / 2);
        }
    }
}

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

import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.internal.CheckpointCoordinator;
import io.rangedmmap.store.internal.PageTable;
import io.rangedmmap.store.internal.StoreIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Group commit under contention: many threads each committing their own pages at once are combined into shared
 * checkpoints; every caller gets the checkpoint that made its page durable, and a failed shared flush fails them all.
 */
class PageStoreGroupCommitTest
{
    private static final int THREADS = 16;
    private static final int COMMITS = 1_000;

    @TempDir
    Path dir;

    /**
     * Records each completed flush (its range and the number of flushes started before it), so a caller can check
     * that a flush started after it wrote its page and covering that page completed before its checkpoint returned.
     */
    private static final class FlushLog implements StoreIo
    {
        private record Flush(long started, long offset, long length)
        {
        }

        private final AtomicLong started = new AtomicLong();
        private final ConcurrentLinkedQueue<Flush> completed = new ConcurrentLinkedQueue<>();
        private volatile IOException failure;
        private volatile CountDownLatch pause;

        @Override
        public void writeAt(final RawMmapFile file, final long offset, final byte[] page)
        {
            file.writeAt(offset, page);
        }

        @Override
        public void flushRange(final RawMmapFile file, final long offset, final long length) throws IOException
        {
            final long index = started.incrementAndGet();
            final CountDownLatch gate = pause;
            if (null != gate)
            {
                try
                {
                    gate.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            if (null != failure)
            {
                throw failure;
            }
            file.flushRange(offset, length);
            completed.add(new Flush(index, offset, length));
        }

        @Override
        public void syncDirectory(final Path directory) throws IOException
        {
            StoreIo.DIRECT.syncDirectory(directory);
        }

        boolean flushedAfter(final long startedBefore, final long offset)
        {
            for (final Flush flush : completed)
            {
                if (flush.started() > startedBefore && flush.offset() <= offset &&
                    offset + PageStore.PAGE_SIZE <= flush.offset() + flush.length())
                {
                    return true;
                }
            }
            return false;
        }
    }

    private record Committed(long pageId, long seed, long sequence)
    {
    }

    @Test
    @Timeout(300)
    void shouldMakeEveryCallersPageDurableInTheCheckpointItIsGiven() throws Exception
    {
        final Path file = dir.resolve("group.store").toAbsolutePath();
        PageStore.create(file, THREADS * COMMITS + 1024).close();
        final FlushLog io = new FlushLog();
        final List<List<Committed>> perThread = new ArrayList<>();
        final AtomicInteger returned = new AtomicInteger();
        try (PageStore store = PageStore.open(file, StoreOptions.defaults(), io))
        {
            final CyclicBarrier start = new CyclicBarrier(THREADS);
            final List<Thread> threads = new ArrayList<>();
            final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            for (int t = 0; t < THREADS; t++)
            {
                final List<Committed> mine = new ArrayList<>();
                perThread.add(mine);
                final long seedBase = (long)t << 32;
                threads.add(Thread.ofPlatform().start(() ->
                {
                    try (PageWriter writer = store.newWriter())
                    {
                        start.await();
                        long previous = -1;
                        for (int i = 0; i < COMMITS; i++)
                        {
                            final long pageId = writer.allocate();
                            final long seed = seedBase + i;
                            final long startedBefore = io.started.get();
                            final PageReceipt receipt = writer.write(pageId, page(seed));
                            final Checkpoint checkpoint = store.checkpoint(List.of(receipt));
                            returned.incrementAndGet();
                            if (checkpoint.sequence() <= previous)
                            {
                                fail("sequence " + checkpoint.sequence() + " after " + previous);
                            }
                            previous = checkpoint.sequence();
                            assertTrue(checkpoint.sequence() <= store.lastCheckpoint());
                            assertTrue(checkpoint.pagesFlushed() >= 1);
                            assertEquals(PageTable.LIVE, PageTable.stateOf(store.table().stateAcquire((int)pageId)),
                                "page " + pageId + " is live once its checkpoint returned");
                            assertTrue(io.flushedAfter(startedBefore, store.layout().dataOffset(pageId)),
                                "page " + pageId + " was flushed after it was written, before its checkpoint " +
                                checkpoint.sequence() + " returned");
                            mine.add(new Committed(pageId, seed, checkpoint.sequence()));
                        }
                    }
                    catch (final Throwable ex)
                    {
                        errors.add(ex);
                    }
                }));
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            if (!errors.isEmpty())
            {
                throw new AssertionError("a committing thread failed", errors.peek());
            }
            final long checkpoints = store.lastCheckpoint();
            System.out.println("group commit: " + THREADS * COMMITS + " commits in " + checkpoints +
                " checkpoints, " + io.started.get() + " flushes, " + store.coordinator().gatherWaits() +
                " gathering waits, longest overrun " + store.coordinator().gatherOverrunNanos() + " ns");
            assertTrue(checkpoints < THREADS * COMMITS, "concurrent callers shared checkpoints: " + checkpoints);
            // The one in flight when a call queued, at most, then its own: counted where the call queues (a caller
            // cannot read the checkpoint in flight and queue in one step, so a check here would race the leader).
            assertEquals(0, store.coordinator().callsOvertaken(), "calls that waited beyond the checkpoint after " +
                "the one in flight when they queued");
        }
        assertEquals(THREADS * COMMITS, returned.get(), "every call returned once");
        final Set<Long> pages = new HashSet<>();
        try (PageStore store = PageStore.open(file))
        {
            final byte[] dst = new byte[PageStore.PAGE_SIZE];
            for (final List<Committed> mine : perThread)
            {
                assertEquals(COMMITS, mine.size());
                for (final Committed committed : mine)
                {
                    assertTrue(pages.add(committed.pageId()), "page " + committed.pageId() + " committed twice");
                    assertTrue(committed.sequence() <= store.lastCheckpoint());
                    store.read(committed.pageId(), dst);
                    assertArrayEquals(page(committed.seed()), dst, "page " + committed.pageId());
                }
            }
            assertEquals(THREADS * COMMITS, store.stats().livePages());
            assertTrue(store.verify().isClean());
        }
    }

    /**
     * A caller alone never waits for others before its checkpoint, blocking or asynchronous, however many commits it
     * makes; several callers do, each wait within a quarter of the last checkpoint (at most 1 ms) plus the lateness
     * of a wake-up on this loaded VM.
     */
    @Test
    @Timeout(300)
    void shouldGatherOnlyForSeveralCallersAndWithinTheBound() throws Exception
    {
        assertEquals(0, CheckpointCoordinator.gatherBoundNanos(0), "no checkpoint yet: no wait");
        assertEquals(250_000, CheckpointCoordinator.gatherBoundNanos(1_000_000), "a quarter of the last flush");
        assertEquals(CheckpointCoordinator.MAX_GATHER_NANOS, CheckpointCoordinator.gatherBoundNanos(60_000_000_000L),
            "at most 1 ms, however slow the last flush");
        final Path file = dir.resolve("gather.store").toAbsolutePath();
        try (PageStore store = PageStore.create(file, 8192))
        {
            try (PageWriter writer = store.newWriter())
            {
                for (int i = 0; i < 300; i++)
                {
                    store.checkpoint(List.of(writer.write(writer.allocate(), page(i))));
                }
                for (int i = 0; i < 100; i++)
                {
                    store.checkpointAsync(List.of(writer.write(writer.allocate(), page(i)))).get(10, TimeUnit.SECONDS);
                }
            }
            assertEquals(0, store.coordinator().gatherWaits(), "a caller alone waited for others");
            final int threads = 8;
            final CyclicBarrier start = new CyclicBarrier(threads);
            final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            final List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                running.add(Thread.ofPlatform().start(() ->
                {
                    try (PageWriter writer = store.newWriter())
                    {
                        start.await();
                        for (int i = 0; i < 200; i++)
                        {
                            store.checkpoint(List.of(writer.write(writer.allocate(), page(i))));
                        }
                    }
                    catch (final Throwable ex)
                    {
                        errors.add(ex);
                    }
                }));
            }
            for (final Thread thread : running)
            {
                thread.join();
            }
            if (!errors.isEmpty())
            {
                throw new AssertionError("a committing thread failed", errors.peek());
            }
            final long waits = store.coordinator().gatherWaits();
            final long overrun = store.coordinator().gatherOverrunNanos();
            System.out.println("gathering: " + waits + " waits over " + store.lastCheckpoint() +
                " checkpoints, longest overrun " + overrun + " ns");
            assertTrue(waits > 0, "8 callers never gathered");
            assertTrue(overrun < TimeUnit.MILLISECONDS.toNanos(100), "a wait overran its bound by " + overrun + " ns");
            assertEquals(400 + threads * 200, store.stats().livePages());
        }
    }

    @Test
    @Timeout(60)
    void shouldCombineCallersArrivingDuringAFlushAndFailThemAllWhenItFails() throws Exception
    {
        final Path file = dir.resolve("failing.store").toAbsolutePath();
        PageStore.create(file, 256).close();
        final FlushLog io = new FlushLog();
        try (PageStore store = PageStore.open(file, StoreOptions.defaults(), io))
        {
            final PageWriter writer = store.newWriter();
            // A first checkpoint held inside its flush: the calls made meanwhile form the next group.
            final CountDownLatch release = new CountDownLatch(1);
            io.pause = release;
            // The store was closed cleanly: the run's first checkpoint clears the mark with a flush of its own, which
            // the pause holds just as well (the group is sealed before either). Count from here, not from zero.
            final long beforeFirst = io.started.get();
            final CompletableFuture<Checkpoint> first = store.checkpointAsync(
                List.of(writer.write(writer.allocate(), page(1))));
            while (beforeFirst == io.started.get())
            {
                Thread.onSpinWait();
            }
            final List<CompletableFuture<Checkpoint>> group = new ArrayList<>();
            for (int i = 0; i < 6; i++)
            {
                group.add(store.checkpointAsync(List.of(writer.write(writer.allocate(), page(10 + i)))));
            }
            final IOException injected = new IOException("injected EIO in the group's flush");
            io.failure = null;
            release.countDown();
            assertEquals(1, first.get(10, TimeUnit.SECONDS).sequence());
            io.pause = null;
            final List<Checkpoint> results = new ArrayList<>();
            for (final CompletableFuture<Checkpoint> future : group)
            {
                results.add(future.get(10, TimeUnit.SECONDS));
            }
            for (final Checkpoint checkpoint : results)
            {
                assertSame(results.getFirst(), checkpoint, "the six calls made during one flush share the next");
            }
            assertEquals(2, results.getFirst().sequence());
            assertEquals(6, results.getFirst().pagesFlushed());

            // Now the shared flush fails: every caller of the group gets the error, and the store is failed.
            final CountDownLatch hold = new CountDownLatch(1);
            io.pause = hold;
            // Wait for this leader's own flush, counted from now: its group is sealed before the flush starts, so the
            // calls made from here on form the next group (a fixed count raced a leader still gathering).
            final long beforeLeader = io.started.get();
            final CompletableFuture<Checkpoint> leader = store.checkpointAsync(
                List.of(writer.write(writer.allocate(), page(30))));
            while (beforeLeader == io.started.get())
            {
                Thread.onSpinWait();
            }
            assertEquals(1, store.coordinator().inFlight().pages().length, "the leader's group is its page alone");
            final List<Thread> blocked = new ArrayList<>();
            final ConcurrentLinkedQueue<Throwable> outcomes = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < 4; i++)
            {
                final PageReceipt receipt = writer.write(writer.allocate(), page(40 + i));
                blocked.add(Thread.ofPlatform().start(() ->
                {
                    try
                    {
                        store.checkpoint(List.of(receipt));
                        outcomes.add(new AssertionError("a checkpoint of the failed group returned"));
                    }
                    catch (final Throwable ex)
                    {
                        outcomes.add(ex);
                    }
                }));
            }
            Thread.sleep(200);
            io.failure = injected;
            hold.countDown();
            final CompletionException leaderFailure = assertThrowsExactly(CompletionException.class, leader::join);
            assertInstanceOf(StoreFailedException.class, leaderFailure.getCause());
            for (final Thread thread : blocked)
            {
                thread.join();
            }
            assertEquals(4, outcomes.size());
            for (final Throwable outcome : outcomes)
            {
                assertInstanceOf(StoreFailedException.class, outcome, String.valueOf(outcome));
            }
            assertThrowsExactly(StoreFailedException.class, () -> store.checkpoint(List.of()));
            assertThrowsExactly(StoreFailedException.class, () -> store.checkpointAsync(List.of()));
        }
        try (PageStore store = PageStore.open(file))
        {
            // The failed group's pages and superblock were written to the page cache before its flush failed; the
            // injected failure left them there, so this process may see that checkpoint whole, or else the previous.
            final long sequence = store.lastCheckpoint();
            assertTrue(2 == sequence || 3 == sequence, "opened at " + sequence);
            assertEquals(5 + sequence, store.stats().livePages());
            assertTrue(store.verify().isClean());
        }
    }

    @Test
    void shouldRefuseAReceiptCommittedByAConcurrentCallAndKeepTheOthers() throws Exception
    {
        final Path file = dir.resolve("twice.store").toAbsolutePath();
        final PageStore store = PageStore.create(file, 64);
        final PageWriter writer = store.newWriter();
        final PageReceipt receipt = writer.write(writer.allocate(), page(1));
        final Checkpoint first = store.checkpointAsync(List.of(receipt)).get(10, TimeUnit.SECONDS);
        assertEquals(1, first.sequence());
        assertThrowsExactly(IllegalStateException.class, () -> store.checkpointAsync(List.of(receipt)));
        final PageReceipt other = writer.write(writer.allocate(), page(2));
        assertEquals(2, store.checkpoint(List.of(other)).sequence());
        store.close();
        assertThrowsExactly(IllegalStateException.class, () -> store.checkpointAsync(List.of()));
    }
}

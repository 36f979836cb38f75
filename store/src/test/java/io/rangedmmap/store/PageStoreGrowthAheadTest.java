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
import io.rangedmmap.store.internal.StoreIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Growth ahead (issue 10) runs on a thread the store owns: a writer's {@code allocate} never waits for it, only for a
 * growth when the pool is empty; close waits for a growth in flight and leaves no thread behind; a store that never
 * grows ahead has no such thread.
 */
class PageStoreGrowthAheadTest
{
    private static final String THREAD_PREFIX = "page-store-grow ";

    @TempDir
    Path dir;

    /**
     * The growth-ahead thread of the store at {@code file}, or {@code null}.
     */
    static Thread growthThread(final Path file)
    {
        final String name = THREAD_PREFIX + file;
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (name.equals(thread.getName()))
            {
                return thread;
            }
        }
        return null;
    }

    private List<Thread> growthThreadsUnder(final Path directory)
    {
        final List<Thread> found = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().startsWith(THREAD_PREFIX + directory))
            {
                found.add(thread);
            }
        }
        return found;
    }

    /**
     * The growth ahead's flush is held on a latch while a writer allocates the rest of the pool: the writer finishes
     * without it (on the old code, where the refilling writer grew the store itself, the writer hung in that flush).
     * A second writer that finds the pool empty waits for that growth and claims from it once it is let go.
     */
    @Test
    void shouldNotMakeAWriterWaitForAGrowthAhead() throws Exception
    {
        final Path file = dir.resolve("ahead.store");
        final HeldFlushIo io = new HeldFlushIo();
        final ExecutorService pool = Executors.newFixedThreadPool(2);
        final Thread grower;
        try (PageStore store = PageStore.create(file, 1024, StoreOptions.defaults().withMaxPages(1 << 16)
            .withGrowthPages(1024), io))
        {
            io.hold();
            // The first refills leave the pool below min(step / 4, pageCount / 8) = 128 pages: a growth ahead starts.
            // Kept open: a closed writer would give its unwritten pages back to the pool.
            final PageWriter first = store.newWriter();
            final Future<Long> firstWriter = pool.submit(() ->
            {
                long last = -1;
                for (int i = 0; i < 1024; i++)
                {
                    last = first.allocate();
                }
                return last;
            });
            final long last;
            try
            {
                last = firstWriter.get(30, TimeUnit.SECONDS);
            }
            catch (final TimeoutException ex)
            {
                io.release();
                throw new AssertionError("a writer's allocate waited for the growth ahead (held in its flush)", ex);
            }
            assertEquals(1023, last, "the writer took the whole pool, lowest ids first");
            assertTrue(io.entered.await(30, TimeUnit.SECONDS), "the growth ahead reached its flush");
            assertEquals(1024, store.pageCount(), "the growth ahead is still held: nothing published yet");
            grower = growthThread(file);
            assertNotNull(grower, "the growth ahead runs on the store's thread");
            assertTrue(grower.isDaemon());
            assertTrue(io.heldThreads.contains(grower.getName()), io.heldThreads.toString());

            // The pool is empty now: this writer must wait for the growth in flight.
            final Future<Long> secondWriter = pool.submit(() ->
            {
                try (PageWriter writer = store.newWriter())
                {
                    return writer.allocate();
                }
            });
            Thread.sleep(200);
            if (secondWriter.isDone())
            {
                fail("a writer with an empty pool waits for the growth, but got " + secondWriter.resultNow());
            }
            io.release();
            assertEquals(1024, secondWriter.get(30, TimeUnit.SECONDS), "it claims the first page of the growth");
            assertEquals(2048, store.pageCount());
            first.close();
        }
        finally
        {
            io.release();
            pool.shutdownNow();
        }
        assertFalse(grower.isAlive(), "close ended the growth-ahead thread");
    }

    /**
     * 1,000 stores created, grown ahead and closed: each had its growth-ahead thread, and each thread ended with its
     * store's close.
     */
    @Test
    void shouldLeaveNoThreadBehindAcross1000CreateGrowCloseCycles() throws Exception
    {
        final StoreOptions options = StoreOptions.defaults().withMaxPages(4096).withGrowthPages(64);
        for (int cycle = 0; cycle < 1000; cycle++)
        {
            final Path file = dir.resolve("cycle-" + cycle + ".store");
            final Thread grower;
            try (PageStore store = PageStore.create(file, 64, options, NoFlushIo.INSTANCE);
                PageWriter writer = store.newWriter())
            {
                // The first refill takes the whole pool of 64 pages: the growth ahead's thread starts.
                writer.allocate();
                grower = growthThread(file);
                assertNotNull(grower, "cycle " + cycle + ": the growth ahead started its thread");
                for (int i = 1; i < 100 + cycle % 100; i++)
                {
                    writer.allocate();
                }
                if (0 == cycle % 2)
                {
                    store.grow(store.pageCount() + 64);
                }
            }
            assertFalse(grower.isAlive(), "cycle " + cycle + ": close ended the thread");
            java.nio.file.Files.delete(file);
        }
        assertEquals(List.of(), growthThreadsUnder(dir));
    }

    /**
     * A store that never grows ahead (a fixed size, or a growable store whose pool stays above the mark) starts no
     * thread.
     */
    @Test
    void shouldStartNoThreadForAStoreThatNeverGrowsAhead() throws Exception
    {
        final Path fixed = dir.resolve("fixed.store");
        final Path roomy = dir.resolve("roomy.store");
        try (PageStore store = PageStore.create(fixed, 1024, StoreOptions.defaults(), NoFlushIo.INSTANCE);
            PageWriter writer = store.newWriter())
        {
            for (int i = 0; i < 1024; i++)
            {
                writer.allocate();
            }
            assertNull(growthThread(fixed));
        }
        try (PageStore store = PageStore.create(roomy, 1024, StoreOptions.defaults().withMaxPages(1 << 20),
            NoFlushIo.INSTANCE); PageWriter writer = store.newWriter())
        {
            // Below the mark of min(step / 4, pageCount / 8) = 128 free pages only after 896 pages.
            for (int i = 0; i < 800; i++)
            {
                writer.allocate();
            }
            assertEquals(1024, store.pageCount());
            assertNull(growthThread(roomy));
        }
    }

    /**
     * Close races a growth ahead, 300 rounds: held in its flush for a while (close waits for it), just requested
     * (close cancels it, or waits for it if it started), or done. Every round reopens at the checkpointed size with
     * the checkpointed pages, cleanly, and no thread is left.
     */
    @Test
    void shouldCloseCleanlyWhileAGrowthAheadIsInFlight() throws Exception
    {
        final Random random = new Random(10);
        final StoreOptions options = StoreOptions.defaults().withExtentPages(16).withMaxPages(1 << 14)
            .withGrowthPages(256);
        int waitedFor = 0;
        for (int round = 0; round < 300; round++)
        {
            final Path file = dir.resolve("race-" + round + ".store");
            final SlowGrowthIo io = new SlowGrowthIo(random.nextInt(3));
            final List<Long> written = new ArrayList<>();
            final Thread grower;
            try (PageStore store = PageStore.create(file, 64, options, io); PageWriter writer = store.newWriter())
            {
                final List<PageReceipt> receipts = new ArrayList<>();
                for (int i = 0; i < 40; i++)
                {
                    final long page = writer.allocate();
                    receipts.add(writer.write(page, PageStoreGrowthTest.content(page + round)));
                    written.add(page);
                }
                store.checkpoint(receipts);
                // Past the mark of min(256 / 4, 64 / 8) = 8 free pages: a growth ahead is requested.
                for (int i = 0; i < 20; i++)
                {
                    writer.allocate();
                }
                grower = growthThread(file);
                assertNotNull(grower, "round " + round);
                switch (round % 3)
                {
                    case 0 -> waitedFor += io.entered.await(10, TimeUnit.SECONDS) ? 1 : 0;
                    case 1 -> Thread.onSpinWait();
                    default -> Thread.sleep(random.nextInt(3));
                }
            }
            assertFalse(grower.isAlive(), "round " + round + ": close ended the growth-ahead thread");
            try (PageStore store = PageStore.open(file, options, NoFlushIo.INSTANCE))
            {
                assertEquals(64, store.pageCount(), "round " + round + ": the checkpointed size");
                final byte[] read = new byte[PageStore.PAGE_SIZE];
                for (final long page : written)
                {
                    store.read(page, read);
                    assertArrayEquals(PageStoreGrowthTest.content(page + round), read, "round " + round);
                }
                assertTrue(store.verify().isClean(), () -> store.verify().toString());
            }
            java.nio.file.Files.delete(file);
        }
        assertEquals(100, waitedFor, "every third round closed while the growth was in its flush");
        assertEquals(List.of(), growthThreadsUnder(dir));
    }

    /**
     * Skips flushes; once {@link #hold()} is called, a flush waits until {@link #release()}.
     */
    private static final class HeldFlushIo implements StoreIo
    {
        final CountDownLatch entered = new CountDownLatch(1);
        final List<String> heldThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile boolean held;

        void hold()
        {
            held = true;
        }

        void release()
        {
            released.countDown();
        }

        @Override
        public void writeAt(final RawMmapFile file, final long offset, final byte[] page)
        {
            file.writeAt(offset, page);
        }

        @Override
        public void flushRange(final RawMmapFile file, final long offset, final long length)
        {
            if (held)
            {
                heldThreads.add(Thread.currentThread().getName());
                entered.countDown();
                try
                {
                    if (!released.await(60, TimeUnit.SECONDS))
                    {
                        fail("the held flush was never released");
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void syncDirectory(final Path directory)
        {
        }
    }

    /**
     * Skips flushes; a growth ahead's flush (on the store's thread) signals and then takes a few milliseconds.
     */
    private static final class SlowGrowthIo implements StoreIo
    {
        final CountDownLatch entered = new CountDownLatch(1);
        private final long millis;

        SlowGrowthIo(final long millis)
        {
            this.millis = millis;
        }

        @Override
        public void writeAt(final RawMmapFile file, final long offset, final byte[] page)
        {
            file.writeAt(offset, page);
        }

        @Override
        public void flushRange(final RawMmapFile file, final long offset, final long length)
        {
            if (Thread.currentThread().getName().startsWith(THREAD_PREFIX))
            {
                entered.countDown();
                try
                {
                    Thread.sleep(1 + millis);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void syncDirectory(final Path directory)
        {
        }
    }
}

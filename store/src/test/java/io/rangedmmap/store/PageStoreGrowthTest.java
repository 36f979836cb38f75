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

import io.rangedmmap.store.internal.format.StoreLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Growth (issue 10): a store created small with {@code withMaxPages} grows by itself and by {@code grow}, under
 * writers, readers and checkpoints, never moving what is mapped, and reopens at the size its last checkpoint recorded.
 */
class PageStoreGrowthTest
{
    private static final long GIB_PAGES = (1L << 30) / PageStore.PAGE_SIZE;
    private static final int WRITERS = 8;

    @TempDir
    Path dir;

    /**
     * A page whose bytes follow from its seed, cheap enough to write a GiB of on two cores.
     */
    static byte[] content(final long seed)
    {
        final byte[] data = new byte[PageStore.PAGE_SIZE];
        Arrays.fill(data, (byte)(seed * 31 + 7));
        final ByteBuffer buffer = ByteBuffer.wrap(data);
        for (int offset = 0; offset < PageStore.PAGE_SIZE; offset += 512)
        {
            buffer.putLong(offset, seed ^ offset);
        }
        return data;
    }

    @Test
    void shouldGrowFrom64PagesTo1GiBUnderEightWritersAndACheckpointer() throws Exception
    {
        final Path file = dir.resolve("grow.store");
        final Map<Long, Long> acknowledged = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<PageReceipt> pending = new ConcurrentLinkedQueue<>();
        final Map<Long, Long> seeds = new ConcurrentHashMap<>();
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        try (PageStore store = PageStore.create(file, 64, StoreOptions.defaults().withMaxPages(GIB_PAGES)))
        {
            assertEquals(64, store.pageCount());
            assertEquals(GIB_PAGES, store.maxPages());
            final List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++)
            {
                writers.add(pool.submit(() ->
                {
                    try (PageWriter writer = store.newWriter())
                    {
                        while (true)
                        {
                            final long page;
                            try
                            {
                                page = writer.allocate();
                            }
                            catch (final StoreFullException ex)
                            {
                                return null;
                            }
                            final PageReceipt receipt = writer.write(page, content(page * 7 + 1));
                            seeds.put(page, page * 7 + 1);
                            pending.add(receipt);
                        }
                    }
                }));
            }
            final Future<?> checkpointer = pool.submit(() ->
            {
                while (!done.get() || !pending.isEmpty())
                {
                    final List<PageReceipt> batch = new ArrayList<>();
                    PageReceipt receipt;
                    while (batch.size() < 20_000 && null != (receipt = pending.poll()))
                    {
                        batch.add(receipt);
                    }
                    store.checkpoint(batch);
                    for (final PageReceipt committed : batch)
                    {
                        acknowledged.put(committed.pageId(), seeds.get(committed.pageId()));
                    }
                }
                return null;
            });
            for (final Future<?> writer : writers)
            {
                writer.get();
            }
            assertTrue(null != PageStoreGrowthAheadTest.growthThread(file), "the store grew ahead on its own thread");
            done.set(true);
            checkpointer.get();
            assertEquals(GIB_PAGES, store.pageCount(), "the writers filled the store to its maxPages");
            assertEquals(GIB_PAGES, store.stats().pageCount());
            assertEquals(GIB_PAGES, store.stats().maxPages());
        }
        finally
        {
            pool.shutdownNow();
        }
        assertNull(failure.get());
        assertEquals(GIB_PAGES, acknowledged.size(), "every page was written and checkpointed");
        try (PageStore store = PageStore.open(file))
        {
            assertEquals(GIB_PAGES, store.pageCount());
            assertEquals(GIB_PAGES, store.maxPages());
            final byte[] read = new byte[PageStore.PAGE_SIZE];
            for (final Map.Entry<Long, Long> entry : acknowledged.entrySet())
            {
                store.read(entry.getKey(), read);
                assertArrayEquals(content(entry.getValue()), read, "page " + entry.getKey());
            }
            assertTrue(store.verify().isClean(), () -> store.verify().toString());
        }
        assertEquals(StoreLayout.fileSizeFor(GIB_PAGES), Files.size(file));
    }

    @Test
    void shouldKeepZeroCopyViewsAndWritesGoingWhileTheStoreGrows() throws Exception
    {
        final Path file = dir.resolve("race.store");
        try (PageStore store = PageStore.create(file, 600, StoreOptions.defaults().withMaxPages(200_000)
            .withGrowthPages(700)))
        {
            final long first;
            try (PageWriter writer = store.newWriter())
            {
                first = writer.allocate();
                store.checkpoint(List.of(writer.write(first, content(first))));
            }
            final byte[] expected = content(first);
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicLong reads = new AtomicLong();
            final AtomicLong writes = new AtomicLong();
            final CountDownLatch started = new CountDownLatch(2);
            final ExecutorService pool = Executors.newFixedThreadPool(2);
            try
            {
                final Future<?> reader = pool.submit(() ->
                {
                    started.countDown();
                    final byte[] copy = new byte[PageStore.PAGE_SIZE];
                    while (!stop.get())
                    {
                        store.read(first, view ->
                        {
                            // The view is held across growths: it must keep showing the page's bytes.
                            for (int i = 0; i < 50; i++)
                            {
                                view.getBytes(0, copy);
                                assertArrayEquals(expected, copy);
                                Thread.onSpinWait();
                            }
                        });
                        reads.incrementAndGet();
                    }
                    return null;
                });
                final Future<?> writerTask = pool.submit(() ->
                {
                    started.countDown();
                    try (PageWriter writer = store.newWriter())
                    {
                        final List<PageReceipt> receipts = new ArrayList<>();
                        while (!stop.get())
                        {
                            final long page = writer.allocate();
                            receipts.add(writer.write(page, content(page)));
                            writes.incrementAndGet();
                            if (receipts.size() == 100)
                            {
                                store.checkpoint(receipts);
                                receipts.clear();
                            }
                        }
                        store.checkpoint(receipts);
                    }
                    return null;
                });
                started.await();
                for (long target = 1_000; target <= 100_000; target += 3_000)
                {
                    assertTrue(store.grow(target) >= target);
                    Thread.sleep(2);
                }
                stop.set(true);
                reader.get();
                writerTask.get();
            }
            finally
            {
                stop.set(true);
                pool.shutdownNow();
            }
            assertTrue(reads.get() > 0 && writes.get() > 0, "reads=" + reads + " writes=" + writes);
            assertTrue(store.verify().isClean(), () -> store.verify().toString());
        }
    }

    /**
     * A real full disk: a child JVM in a user and mount namespace of its own ({@code unshare -rm}, no root needed
     * where unprivileged user namespaces are allowed) mounts a 12 MiB tmpfs and grows a store on it until
     * {@code posix_fallocate} reports {@code ENOSPC}: first to the growth-ahead thread (which must neither fail the
     * store nor lose the error), then to the writer that runs dry and grows synchronously.
     */
    @Test
    void shouldReportAFullDiskDuringGrowthAndStayHealthy() throws Exception
    {
        final Path mount = Files.createDirectories(dir.resolve("tmpfs")).toAbsolutePath();
        final ChildJvm child = ChildJvm.start(List.of("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=12m " +
            "tmpfs '" + mount + "' || { echo NO-TMPFS; exit 0; }; exec \"$@\"", "sh"), GrowthFullDiskChild.class,
            mount.toString());
        final String first = child.awaitLine("FULL ", "NO-TMPFS");
        org.junit.jupiter.api.Assumptions.assumeFalse(first.startsWith("NO-TMPFS"),
            "this machine cannot mount a tmpfs in a user namespace (unshare -rm)");
        assertTrue(first.contains("needs ") && first.contains(" more bytes of disk, but only ") &&
            first.contains(" bytes are available"), first);
        // The growth ahead, on the store's thread, found the disk full first; the writer that ran dry retried and
        // got the exception itself.
        assertTrue(first.startsWith("FULL ahead-refused=true "), first);
        final String ok = child.awaitLine("OK ");
        final String reopened = child.awaitLine("REOPENED ");
        child.finish(60);
        assertEquals(0, child.exitCode(), ok + "\n" + reopened);
    }

    @Test
    void shouldRefuseToGrowPastMaxPagesNamingBoth() throws Exception
    {
        try (PageStore store = PageStore.create(dir.resolve("max.store"), 100, StoreOptions.defaults()
            .withMaxPages(1_000)))
        {
            assertEquals(100, store.grow(50), "growing to fewer pages does nothing");
            assertEquals(600, store.grow(600));
            assertEquals(600, store.pageCount());
            final IllegalArgumentException ex = assertThrowsExactly(IllegalArgumentException.class,
                () -> store.grow(1_001));
            assertTrue(ex.getMessage().contains("newPageCount=1001") && ex.getMessage().contains("maxPages=1000"),
                ex.getMessage());
            assertEquals(600, store.pageCount());
            assertEquals(1_000, store.grow(1_000));
            assertEquals(new StoreStats(1_000, 0, 1_000, 0, 0, 1_000, 0, -1, 0, 0), store.stats());
            // At maxPages the writers get StoreFullException as a fixed-size store's do.
            try (PageWriter writer = store.newWriter())
            {
                for (int i = 0; i < 1_000; i++)
                {
                    writer.allocate();
                }
                assertThrowsExactly(StoreFullException.class, writer::allocate);
            }
        }
    }

    @Test
    void shouldKeepItsSizeWithoutMaxPages() throws Exception
    {
        try (PageStore store = PageStore.create(dir.resolve("fixed.store"), 100))
        {
            assertEquals(100, store.maxPages());
            assertEquals(new StoreStats(100, 0, 100, 0, 0), store.stats());
            try (PageWriter writer = store.newWriter())
            {
                writer.allocate(100);
                assertThrowsExactly(StoreFullException.class, writer::allocate);
            }
            assertEquals(100, store.pageCount());
            assertThrowsExactly(IllegalArgumentException.class, () -> store.grow(101));
        }
    }

    @Test
    void shouldRefuseBadSizesNamingTheValues() throws Exception
    {
        for (final long bad : new long[]{0, -1, Long.MIN_VALUE, StoreLayout.MAX_PAGE_COUNT + 1, Long.MAX_VALUE})
        {
            final IllegalArgumentException max = assertThrowsExactly(IllegalArgumentException.class,
                () -> StoreOptions.defaults().withMaxPages(bad));
            assertEquals("maxPages=" + bad + " must be in [1, " + StoreLayout.MAX_PAGE_COUNT + "]", max.getMessage());
            final IllegalArgumentException step = assertThrowsExactly(IllegalArgumentException.class,
                () -> StoreOptions.defaults().withGrowthPages(bad));
            assertEquals("growthPages=" + bad + " must be in [1, " + StoreLayout.MAX_PAGE_COUNT + "]",
                step.getMessage());
        }
        final Path file = dir.resolve("below.store");
        final IllegalArgumentException below = assertThrowsExactly(IllegalArgumentException.class,
            () -> PageStore.create(file, 500, StoreOptions.defaults().withMaxPages(499)));
        assertEquals("maxPages=499 must be at least pageCount=500 given to create", below.getMessage());
        assertFalse(Files.exists(file), "nothing is created");
        try (PageStore store = PageStore.create(file, 500, StoreOptions.defaults().withMaxPages(600)))
        {
            assertThrowsExactly(IllegalArgumentException.class, () -> store.grow(0));
            assertThrowsExactly(IllegalArgumentException.class, () -> store.grow(-5));
            assertThrowsExactly(IllegalArgumentException.class, () -> store.grow(Long.MAX_VALUE));
            assertEquals(500, store.pageCount());
        }
        final IllegalArgumentException openBelow = assertThrowsExactly(IllegalArgumentException.class,
            () -> PageStore.open(file, StoreOptions.defaults().withMaxPages(400)));
        assertTrue(openBelow.getMessage().contains("maxPages=400") &&
            openBelow.getMessage().contains("pageCount=500"), openBelow.getMessage());
        // The refused open left the store as it was.
        try (PageStore store = PageStore.open(file))
        {
            assertEquals(600, store.maxPages());
        }
    }

    @Test
    void shouldStoreMaxPagesAndLetOpenRaiseIt() throws Exception
    {
        final Path file = dir.resolve("raise.store");
        PageStore.create(file, 64, StoreOptions.defaults().withMaxPages(2_000)).close();
        try (PageStore store = PageStore.open(file))
        {
            assertEquals(2_000, store.maxPages());
            assertEquals(64, store.pageCount());
        }
        try (PageStore store = PageStore.open(file, StoreOptions.defaults().withMaxPages(50_000)))
        {
            assertEquals(50_000, store.maxPages());
            assertEquals(40_000, store.grow(40_000));
            store.checkpoint(List.of());
        }
        try (PageStore store = PageStore.open(file))
        {
            assertEquals(50_000, store.maxPages(), "the raised maxPages was recorded at open");
            assertEquals(40_000, store.pageCount());
            assertTrue(store.verify().isClean(), () -> store.verify().toString());
        }
        // A fixed-size store made growable by an open option.
        final Path fixed = dir.resolve("fixed.store");
        PageStore.create(fixed, 100).close();
        try (PageStore store = PageStore.open(fixed, StoreOptions.defaults().withMaxPages(10_000)))
        {
            try (PageWriter writer = store.newWriter())
            {
                final long page = writer.allocate(150);
                assertTrue(store.pageCount() >= 250 || page + 150 <= store.pageCount(), store.toString());
            }
        }
    }

    @Test
    void shouldOpenAtTheCheckpointedSizeAndReuseTheTailAfterAnUncheckpointedGrowth() throws Exception
    {
        final Path file = dir.resolve("tail.store");
        final long page;
        try (PageStore store = PageStore.create(file, 100, StoreOptions.defaults().withMaxPages(5_000)))
        {
            try (PageWriter writer = store.newWriter())
            {
                page = writer.allocate();
                store.checkpoint(List.of(writer.write(page, content(3))));
            }
            assertEquals(3_000, store.grow(3_000));
            // No checkpoint names the new size: close is a crash for what was not checkpointed.
        }
        assertEquals(StoreLayout.fileSizeFor(3_000), Files.size(file), "the growth left a tail");
        try (PageStore store = PageStore.open(file))
        {
            assertEquals(100, store.pageCount(), "opened at the size its last checkpoint recorded");
            final byte[] read = new byte[PageStore.PAGE_SIZE];
            store.read(page, read);
            assertArrayEquals(content(3), read);
            assertTrue(store.verify().isClean(), () -> store.verify().toString());
            assertEquals(2_000, store.grow(2_000), "growing reuses the tail");
            try (PageWriter writer = store.newWriter())
            {
                final long last = writer.allocate(1_000);
                final List<PageReceipt> receipts = new ArrayList<>();
                for (long p = last; p < last + 1_000; p++)
                {
                    receipts.add(writer.write(p, content(p)));
                }
                store.checkpoint(receipts);
            }
        }
        try (PageStore store = PageStore.open(file))
        {
            assertEquals(2_000, store.pageCount());
            assertEquals(1_001, store.stats().livePages());
            assertTrue(store.verify().isClean(), () -> store.verify().toString());
        }
    }
}

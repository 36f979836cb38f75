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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link PageWriter} shared by threads (issue 9, item 6): concurrent use is detected on entry and refused before
 * any page is handed out or written, so no page is handed out twice and every checkpointed page verifies.
 */
@Timeout(300)
class PageWriterConcurrencyTest
{
    private static final int PAGES_PER_THREAD = 20_000;
    private static final int MAX_ROUNDS = 20;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseASecondThreadWhileTheFirstIsInsideTheWriter() throws Exception
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 64); PageWriter writer = store.newWriter())
        {
            final long mine = writer.allocate();
            final CountDownLatch inside = new CountDownLatch(1);
            final CountDownLatch checked = new CountDownLatch(1);
            final AtomicReference<Throwable> seen = new AtomicReference<>();
            final Thread other = Thread.ofPlatform().name("intruder").start(() ->
            {
                try
                {
                    assertTrue(inside.await(10, TimeUnit.SECONDS));
                    seen.set(assertThrowsExactly(ConcurrentModificationException.class, writer::allocate));
                    assertThrowsExactly(ConcurrentModificationException.class, () -> writer.write(mine, page(2)));
                    assertThrowsExactly(ConcurrentModificationException.class, writer::close);
                }
                catch (final Throwable ex)
                {
                    seen.set(ex);
                }
                finally
                {
                    checked.countDown();
                }
            });
            final StoreStats before = store.stats();
            final PageReceipt receipt = writer.write(mine, view ->
            {
                inside.countDown();
                try
                {
                    assertTrue(checked.await(10, TimeUnit.SECONDS));
                }
                catch (final InterruptedException ex)
                {
                    throw new AssertionError(ex);
                }
                view.putBytes(0, page(1));
            });
            other.join();
            final Throwable refused = seen.get();
            assertInstanceOf(ConcurrentModificationException.class, refused, String.valueOf(refused));
            assertTrue(refused.getMessage().contains("is in use by thread " + Thread.currentThread().getName() +
                " while intruder calls it"), refused.getMessage());
            // The refused calls allocated nothing; the page the writer allocated is now written.
            assertEquals(new StoreStats(before.pageCount(), before.livePages(), before.freePages(),
                before.inFlightPages(), before.lastCheckpoint(), before.writtenPages() + 1), store.stats());
            store.checkpoint(List.of(receipt));
            assertArrayEquals(page(1), PageStoreTest.read(store, mine));
            // Released on return: the writer is usable again, from any thread.
            final long next = writer.allocate();
            assertTrue(next != mine);
        }
    }

    @Test
    void shouldRefuseTheWriterFromInsideItsOwnRangeWriter() throws Exception
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 64); PageWriter writer = store.newWriter())
        {
            final long mine = writer.allocate();
            final long second = writer.allocate();
            final List<Throwable> refused = new ArrayList<>();
            writer.write(mine, view ->
            {
                refused.add(assertThrowsExactly(IllegalStateException.class, writer::allocate));
                refused.add(assertThrowsExactly(IllegalStateException.class, () -> writer.write(second, page(3))));
                refused.add(assertThrowsExactly(IllegalStateException.class, writer::close));
                view.putBytes(0, page(4));
            });
            assertEquals(3, refused.size());
            assertEquals("writer of " + store.path() + " was called from inside its own RangeWriter; finish the " +
                "in-place write first", refused.getFirst().getMessage());
            // The refused inner write left the second page allocated and unwritten.
            assertArrayEquals(page(5), PageStoreTest.read(store, write(store, writer, second, 5)));
        }
    }

    private static long write(final PageStore store, final PageWriter writer, final long pageId, final long seed)
    {
        store.checkpoint(List.of(writer.write(pageId, page(seed))));
        return pageId;
    }

    @Test
    void shouldNeverHandOutAPageTwiceWhenTwoThreadsShareAWriter() throws Exception
    {
        int refusedTotal = 0;
        for (int round = 0; round < MAX_ROUNDS && 0 == refusedTotal; round++)
        {
            refusedTotal += shareOneWriter(dir.resolve("s" + round + ".store"));
        }
        assertTrue(refusedTotal > 0, "in " + MAX_ROUNDS + " rounds the two threads never overlapped");
    }

    /**
     * Two threads allocate and write {@code PAGES_PER_THREAD} pages each through one writer; a refused call is
     * counted and skipped. Every page handed out is distinct, each receipt's page holds what its thread wrote, and
     * the checkpoint of all receipts verifies clean.
     *
     * @return the number of calls refused as concurrent.
     */
    private int shareOneWriter(final Path file) throws Exception
    {
        final int threads = 2;
        try (PageStore store = PageStore.create(file, threads * PAGES_PER_THREAD + 64,
            StoreOptions.defaults().withExtentPages(8)); PageWriter shared = store.newWriter())
        {
            final CyclicBarrier start = new CyclicBarrier(threads);
            final AtomicInteger refused = new AtomicInteger();
            final List<List<PageReceipt>> receipts = new ArrayList<>();
            final List<Thread> workers = new ArrayList<>();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int t = 0; t < threads; t++)
            {
                final List<PageReceipt> mine = new ArrayList<>();
                receipts.add(mine);
                final long seedBase = (long)t << 32;
                workers.add(Thread.ofPlatform().start(() ->
                {
                    try
                    {
                        start.await();
                        for (int i = 0; i < PAGES_PER_THREAD; i++)
                        {
                            try
                            {
                                final long pageId = shared.allocate();
                                mine.add(writeRetrying(shared, pageId, seedBase + i, refused));
                            }
                            catch (final ConcurrentModificationException ex)
                            {
                                refused.incrementAndGet();
                            }
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }));
            }
            for (final Thread worker : workers)
            {
                worker.join();
            }
            if (null != failure.get())
            {
                throw new AssertionError("a worker failed", failure.get());
            }
            final Set<Long> pages = new HashSet<>();
            final List<PageReceipt> all = new ArrayList<>();
            for (final List<PageReceipt> mine : receipts)
            {
                for (final PageReceipt receipt : mine)
                {
                    assertTrue(pages.add(receipt.pageId()), "page " + receipt.pageId() + " handed out twice");
                    all.add(receipt);
                }
            }
            store.checkpoint(all);
            final VerifyReport report = store.verify();
            assertTrue(report.isClean(), report.toString());
            assertEquals(all.size(), report.pagesChecked());
            for (int t = 0; t < threads; t++)
            {
                final List<PageReceipt> mine = receipts.get(t);
                for (int i = 0; i < mine.size(); i += 997)
                {
                    final PageReceipt receipt = mine.get(i);
                    assertEquals(receipt.crc32c(), crcOf(PageStoreTest.read(store, receipt.pageId())));
                }
            }
            return refused.get();
        }
    }

    private static PageReceipt writeRetrying(final PageWriter writer, final long pageId, final long seed,
        final AtomicInteger refused)
    {
        while (true)
        {
            try
            {
                return writer.write(pageId, page(seed));
            }
            catch (final ConcurrentModificationException ex)
            {
                refused.incrementAndGet();
            }
        }
    }

    private static int crcOf(final byte[] data)
    {
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(data);
        return (int)crc.getValue();
    }
}

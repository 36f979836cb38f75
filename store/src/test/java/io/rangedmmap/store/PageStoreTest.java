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

import io.rangedmmap.store.internal.Formatter;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageStoreTest
{
    @TempDir
    Path dir;

    static byte[] page(final long seed)
    {
        final byte[] data = new byte[PageStore.PAGE_SIZE];
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < data.length; i++)
        {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            data[i] = (byte)x;
        }
        return data;
    }

    static byte[] read(final PageStore store, final long pageId)
    {
        final byte[] dst = new byte[PageStore.PAGE_SIZE];
        store.read(pageId, dst);
        return dst;
    }

    @Test
    void shouldCreateEmptyStoreAtCheckpointZero() throws IOException
    {
        final Path file = dir.resolve("s.store");
        try (PageStore store = PageStore.create(file, 1000))
        {
            assertEquals(0, store.lastCheckpoint());
            assertEquals(new StoreStats(1000, 0, 1000, 0, 0, 0), store.stats());
            assertEquals(1000, store.pageCount());
            assertEquals(file.toAbsolutePath(), store.path());
            assertEquals(0, store.root(0));
            assertTrue(store.verify().isClean());
        }
        // 2 superblocks + 2 copies of 2 metadata pages (510 entries each) + 1000 user pages
        assertEquals((2 + 4 + 1000) * 4096L, Files.size(file));
        assertEquals(List.of(), Formatter.temporaryFiles(dir.resolve("s.store")), "no temporary file may be left");
    }

    @Test
    void shouldRefuseToCreateOverAnExistingFile() throws IOException
    {
        final Path file = dir.resolve("s.store");
        Files.write(file, new byte[]{1, 2, 3});
        final FileAlreadyExistsException ex =
            assertThrowsExactly(FileAlreadyExistsException.class, () -> PageStore.create(file, 10));
        assertTrue(ex.getMessage().contains(file.toAbsolutePath().toString()), ex.getMessage());
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(file));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, (1L << 32) + 1, Long.MAX_VALUE})
    void shouldRefuseBadPageCount(final long pageCount)
    {
        final IllegalArgumentException ex = assertThrowsExactly(IllegalArgumentException.class,
            () -> PageStore.create(dir.resolve("s.store"), pageCount));
        assertEquals("pageCount=" + pageCount + " must be in [1, 4294967296]", ex.getMessage());
        assertFalse(Files.exists(dir.resolve("s.store")));
    }

    @Test
    void shouldWriteCheckpointAndReadBackEveryForm() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 100);
            PageWriter writer = store.newWriter())
        {
            final long a = writer.allocate();
            final long b = writer.allocate();
            final long c = writer.allocate();
            final PageReceipt ra = writer.write(a, page(1));
            final PageReceipt rb = writer.write(b, ByteBuffer.allocateDirect(4096).put(page(2)).flip());
            final PageReceipt rc = writer.write(c, view -> view.putBytes(0, page(3)));
            assertEquals(a, ra.pageId());
            assertNotEquals(ra.crc32c(), rb.crc32c());
            assertArrayEquals(page(1), read(store, a));
            assertEquals(new StoreStats(100, 0, 97, 3, 0, 3), store.stats());

            final Checkpoint checkpoint = store.checkpoint(List.of(ra, rb, rc));
            assertEquals(1, checkpoint.sequence());
            assertEquals(3, checkpoint.pagesFlushed());
            assertEquals(1, checkpoint.metadataPagesFlushed());
            assertEquals(5 * 4096, checkpoint.bytesFlushed());
            assertTrue(checkpoint.durationNanos() > 0);
            assertEquals(1, store.lastCheckpoint());

            final ByteBuffer heap = ByteBuffer.allocate(4096);
            store.read(b, heap);
            assertEquals(4096, heap.position());
            assertArrayEquals(page(2), heap.array());
            final ByteBuffer direct = ByteBuffer.allocateDirect(4096);
            store.read(c, direct);
            final byte[] copy = new byte[4096];
            direct.flip().get(copy);
            assertArrayEquals(page(3), copy);
            final byte[] viaView = new byte[4096];
            store.read(a, (DirectBuffer view) -> view.getBytes(0, viaView));
            assertArrayEquals(page(1), viaView);
            assertEquals(new StoreStats(100, 3, 97, 0, 1, 0), store.stats());
            assertTrue(store.verify().isClean());
        }
    }

    @Test
    void shouldReopenAtLastCheckpointWithUncheckpointedPagesFree() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final long kept;
        final long lost;
        try (PageStore store = PageStore.create(file, 100);
            PageWriter writer = store.newWriter())
        {
            kept = writer.allocate();
            final PageReceipt receipt = writer.write(kept, page(7));
            store.setRoot(3, 42);
            store.checkpoint(List.of(receipt));
            lost = writer.allocate();
            writer.write(lost, page(8));
            store.setRoot(3, 43);
            assertEquals(43, store.root(3));
        }
        try (PageStore store = PageStore.open(file))
        {
            assertEquals(1, store.lastCheckpoint());
            assertEquals(42, store.root(3));
            assertArrayEquals(page(7), read(store, kept));
            final IllegalStateException ex = assertThrowsExactly(IllegalStateException.class, () -> read(store, lost));
            assertEquals("page=" + lost + " of " + file.toAbsolutePath() + " cannot be read: it is free",
                ex.getMessage());
            assertEquals(new StoreStats(100, 1, 99, 0, 1, 0), store.stats());
            assertTrue(store.verify().isClean());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4097, 8192})
    void shouldRefuseDataOfWrongLength(final int length) throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 10);
            PageWriter writer = store.newWriter())
        {
            final long pageId = writer.allocate();
            IllegalArgumentException ex = assertThrowsExactly(IllegalArgumentException.class,
                () -> writer.write(pageId, new byte[length]));
            assertEquals("data.length=" + length + " must equal PAGE_SIZE=4096", ex.getMessage());
            ex = assertThrowsExactly(IllegalArgumentException.class,
                () -> writer.write(pageId, ByteBuffer.allocate(length)));
            assertEquals("data.remaining()=" + length + " must equal PAGE_SIZE=4096", ex.getMessage());
            writer.write(pageId, page(1));
            ex = assertThrowsExactly(IllegalArgumentException.class, () -> store.read(pageId, new byte[length]));
            assertEquals("dst.length=" + length + " must equal PAGE_SIZE=4096", ex.getMessage());
            ex = assertThrowsExactly(IllegalArgumentException.class,
                () -> store.read(pageId, ByteBuffer.allocate(length)));
            assertEquals("dst.remaining()=" + length + " must equal PAGE_SIZE=4096", ex.getMessage());
        }
    }

    @Test
    void shouldRefuseReceiptOfAnotherStore() throws IOException
    {
        try (PageStore one = PageStore.create(dir.resolve("one.store"), 10);
            PageStore two = PageStore.create(dir.resolve("two.store"), 10);
            PageWriter writer = two.newWriter())
        {
            final PageReceipt foreign = writer.write(writer.allocate(), page(1));
            final IllegalArgumentException ex =
                assertThrowsExactly(IllegalArgumentException.class, () -> one.checkpoint(List.of(foreign)));
            assertEquals("receipt for page=0 was issued by another store, " + two.path() +
                "; only receipts of this store instance, " + one.path() + ", can be checkpointed", ex.getMessage());
            assertEquals(0, one.lastCheckpoint());
        }
    }

    @Test
    void shouldRefuseReceiptFromBeforeAReopen() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final PageReceipt stale;
        try (PageStore store = PageStore.create(file, 10);
            PageWriter writer = store.newWriter())
        {
            stale = writer.write(writer.allocate(), page(1));
        }
        try (PageStore store = PageStore.open(file))
        {
            final IllegalArgumentException ex =
                assertThrowsExactly(IllegalArgumentException.class, () -> store.checkpoint(List.of(stale)));
            assertEquals("receipt for page=0 was issued by an earlier instance of " + store.path() +
                " (before a reopen); only receipts of this store instance, " + store.path() + ", can be checkpointed",
                ex.getMessage());
        }
    }

    @Test
    void shouldRefuseDuplicateAndAlreadyCheckpointedReceipts() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 10);
            PageWriter writer = store.newWriter())
        {
            final PageReceipt receipt = writer.write(writer.allocate(), page(1));
            final IllegalArgumentException twice = assertThrowsExactly(IllegalArgumentException.class,
                () -> store.checkpoint(List.of(receipt, receipt)));
            assertEquals("page=0 appears twice in receipts", twice.getMessage());
            store.checkpoint(List.of(receipt));
            final IllegalStateException again =
                assertThrowsExactly(IllegalStateException.class, () -> store.checkpoint(List.of(receipt)));
            assertEquals("page=0 of " + store.path() + " is LIVE, expected WRITTEN: its receipt is already in a " +
                "completed checkpoint", again.getMessage());
            assertEquals(1, store.lastCheckpoint());
        }
    }

    @Test
    void shouldRefuseToWriteAPageTwice() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 10);
            PageWriter writer = store.newWriter())
        {
            final long pageId = writer.allocate();
            final PageReceipt receipt = writer.write(pageId, page(1));
            IllegalStateException ex =
                assertThrowsExactly(IllegalStateException.class, () -> writer.write(pageId, page(2)));
            assertEquals("page=0 of " + store.path() + " was already written; pages are written once: write a new " +
                "page and free this one", ex.getMessage());
            store.checkpoint(List.of(receipt));
            ex = assertThrowsExactly(IllegalStateException.class, () -> writer.write(pageId, PageStoreTest::ignore));
            assertTrue(ex.getMessage().contains("was already written"), ex.getMessage());
            assertArrayEquals(page(1), read(store, pageId));
        }
    }

    @Test
    void shouldRefuseToWriteAPageTheWriterDoesNotOwn() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 1000);
            PageWriter mine = store.newWriter();
            PageWriter other = store.newWriter())
        {
            final long theirs = other.allocate();
            mine.allocate();
            IllegalArgumentException ex =
                assertThrowsExactly(IllegalArgumentException.class, () -> mine.write(theirs, page(1)));
            assertEquals("page=" + theirs + " of " + store.path() + " is not allocated by this writer (it is " +
                "ALLOCATED(writer=2)); write only pages this writer allocated", ex.getMessage());
            ex = assertThrowsExactly(IllegalArgumentException.class, () -> mine.write(999, page(1)));
            assertTrue(ex.getMessage().contains("(it is FREE)"), ex.getMessage());
            final IndexOutOfBoundsException out =
                assertThrowsExactly(IndexOutOfBoundsException.class, () -> mine.write(1000, page(1)));
            assertEquals("pageId=1000 is out of bounds for pageCount=1000 of " + store.path(), out.getMessage());
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> mine.write(-1, page(1)));
        }
    }

    @Test
    void shouldRefuseToFreeAPageThatIsNotLive() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 10);
            PageWriter writer = store.newWriter())
        {
            IllegalStateException ex = assertThrowsExactly(IllegalStateException.class, () -> store.free(5));
            assertEquals("page=5 of " + store.path() + " cannot be freed: it is FREE; only pages live in a " +
                "completed checkpoint can be freed", ex.getMessage());
            final long pageId = writer.allocate();
            final PageReceipt receipt = writer.write(pageId, page(1));
            ex = assertThrowsExactly(IllegalStateException.class, () -> store.free(pageId));
            assertTrue(ex.getMessage().contains("it is WRITTEN"), ex.getMessage());
            store.checkpoint(List.of(receipt));
            store.free(pageId);
            ex = assertThrowsExactly(IllegalStateException.class, () -> store.free(pageId));
            assertTrue(ex.getMessage().contains("it is FREEING (already freed)"), ex.getMessage());
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> store.free(10));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 16, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void shouldRefuseBadRootSlot(final int slot) throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 10))
        {
            IndexOutOfBoundsException ex =
                assertThrowsExactly(IndexOutOfBoundsException.class, () -> store.setRoot(slot, 1));
            assertEquals("slot=" + slot + " must be in [0, 16)", ex.getMessage());
            ex = assertThrowsExactly(IndexOutOfBoundsException.class, () -> store.root(slot));
            assertEquals("slot=" + slot + " must be in [0, 16)", ex.getMessage());
        }
    }

    @Test
    void shouldRefuseToReadFreeOrUnwrittenPages() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 10);
            PageWriter writer = store.newWriter())
        {
            IllegalStateException ex = assertThrowsExactly(IllegalStateException.class, () -> read(store, 3));
            assertEquals("page=3 of " + store.path() + " cannot be read: it is free", ex.getMessage());
            final long pageId = writer.allocate();
            ex = assertThrowsExactly(IllegalStateException.class, () -> read(store, pageId));
            assertEquals("page=" + pageId + " of " + store.path() + " cannot be read: it is allocated but not yet " +
                "written", ex.getMessage());
            assertThrowsExactly(IllegalStateException.class, () -> store.read(pageId, ByteBuffer.allocate(4096)));
            assertThrowsExactly(IllegalStateException.class, () -> store.read(pageId, PageStoreTest::ignore));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> read(store, 10));
        }
    }

    @Test
    void shouldKeepFreedPageReadableAndUnallocatedUntilItsCheckpoint() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 4,
            StoreOptions.defaults().withExtentPages(1)))
        {
            final List<PageReceipt> receipts = new ArrayList<>();
            try (PageWriter writer = store.newWriter())
            {
                for (int i = 0; i < 4; i++)
                {
                    receipts.add(writer.write(writer.allocate(), page(i)));
                }
                store.checkpoint(receipts);
                assertThrowsExactly(StoreFullException.class, writer::allocate);
            }
            store.free(2);
            assertArrayEquals(page(2), read(store, 2));
            try (PageWriter writer = store.newWriter())
            {
                final StoreFullException full = assertThrowsExactly(StoreFullException.class, writer::allocate);
                assertEquals("no run of count=1 free pages is left in " + store.path() + " (pageCount=4, " +
                    "maxPages=4; the free pages of every writer's extent were counted); free pages and checkpoint, " +
                    "or discard aborted writes", full.getMessage());
                store.checkpoint(List.of());
                assertEquals(new StoreStats(4, 3, 1, 0, 2, 0), store.stats());
                assertThrowsExactly(IllegalStateException.class, () -> read(store, 2));
                assertEquals(2, writer.allocate());
            }
        }
    }

    @Test
    void shouldReturnUnwrittenPagesWhenWriterCloses() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 8,
            StoreOptions.defaults().withExtentPages(8)))
        {
            final PageReceipt receipt;
            try (PageWriter writer = store.newWriter())
            {
                receipt = writer.write(writer.allocate(), page(1));
                writer.allocate(3);
                assertEquals(new StoreStats(8, 0, 4, 4, 0, 1), store.stats());
                try (PageWriter other = store.newWriter())
                {
                    // Pages 4-7 are free in the first writer's extent: another writer takes them back (issue 10).
                    assertEquals(4, other.allocate());
                    assertEquals(new StoreStats(8, 0, 3, 5, 0, 1), store.stats());
                }
                assertEquals(new StoreStats(8, 0, 4, 4, 0, 1), store.stats());
            }
            assertEquals(new StoreStats(8, 0, 7, 1, 0, 1), store.stats());
            try (PageWriter writer = store.newWriter())
            {
                final long first = writer.allocate(7);
                assertEquals(1, first);
            }
            store.checkpoint(List.of(receipt));
            assertEquals(new StoreStats(8, 1, 7, 0, 1, 0), store.stats());
        }
    }

    @Test
    void shouldAllocateContiguousRuns() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 1000);
            PageWriter writer = store.newWriter())
        {
            final long single = writer.allocate();
            final long run = writer.allocate(200);
            assertNotEquals(single, run);
            final List<PageReceipt> receipts = new ArrayList<>();
            for (long pageId = run; pageId < run + 200; pageId++)
            {
                receipts.add(writer.write(pageId, page(pageId)));
            }
            final Checkpoint checkpoint = store.checkpoint(receipts);
            assertEquals(200, checkpoint.pagesFlushed());
            for (long pageId = run; pageId < run + 200; pageId++)
            {
                assertArrayEquals(page(pageId), read(store, pageId));
            }
            IllegalArgumentException ex = assertThrowsExactly(IllegalArgumentException.class,
                () -> writer.allocate(0));
            assertEquals("count=0 must be in [1, 1000]", ex.getMessage());
            ex = assertThrowsExactly(IllegalArgumentException.class, () -> writer.allocate(1001));
            assertEquals("count=1001 must be in [1, 1000]", ex.getMessage());
        }
    }

    @Test
    void shouldRefuseEveryCallWhenClosed() throws IOException
    {
        final PageStore store = PageStore.create(dir.resolve("s.store"), 10);
        final PageWriter writer = store.newWriter();
        final long pageId = writer.allocate();
        final PageReceipt receipt = writer.write(pageId, page(1));
        store.close();
        store.close();
        final String closed = "page store " + store.path() + " is closed";
        assertEquals(closed, assertThrowsExactly(IllegalStateException.class, store::newWriter).getMessage());
        assertEquals(closed, assertThrowsExactly(IllegalStateException.class,
            () -> store.checkpoint(List.of(receipt))).getMessage());
        assertEquals(closed, assertThrowsExactly(IllegalStateException.class, () -> read(store, pageId)).getMessage());
        assertEquals(closed, assertThrowsExactly(IllegalStateException.class, () -> store.free(0)).getMessage());
        assertEquals(closed, assertThrowsExactly(IllegalStateException.class, () -> store.setRoot(0, 1)).getMessage());
        assertEquals(closed, assertThrowsExactly(IllegalStateException.class, () -> store.root(0)).getMessage());
        assertEquals(closed, assertThrowsExactly(IllegalStateException.class, store::lastCheckpoint).getMessage());
        assertEquals(closed, assertThrowsExactly(IllegalStateException.class, store::stats).getMessage());
        assertEquals(closed, assertThrowsExactly(IllegalStateException.class, store::verify).getMessage());
        assertEquals(closed, assertThrowsExactly(IllegalStateException.class, writer::allocate).getMessage());
        assertEquals(closed, assertThrowsExactly(IllegalStateException.class,
            () -> writer.write(pageId, page(1))).getMessage());
        writer.close();
        assertEquals("writer of " + store.path() + " is closed",
            assertThrowsExactly(IllegalStateException.class, writer::allocate).getMessage());
    }

    @Test
    void shouldDetectACorruptPageOnDisk() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final long pageId;
        final int crc;
        try (PageStore store = PageStore.create(file, 10);
            PageWriter writer = store.newWriter())
        {
            pageId = writer.allocate(3) + 1;
            final PageReceipt receipt = writer.write(pageId, page(5));
            crc = receipt.crc32c();
            store.checkpoint(List.of(receipt));
            // A later checkpoint: open verifies only the pages the newest checkpoint wrote (it would fall back).
            store.checkpoint(List.of());
        }
        // user pages start after 2 superblocks and 2 single-page metadata copies
        final byte[] bytes = Files.readAllBytes(file);
        bytes[(int)((4 + pageId) * 4096 + 100)] ^= 1;
        Files.write(file, bytes);
        try (PageStore store = PageStore.open(file))
        {
            final CorruptPageException ex = assertThrowsExactly(CorruptPageException.class, () -> read(store, pageId));
            assertEquals(pageId, ex.pageId());
            assertEquals(crc, ex.expectedCrc32c());
            assertNotEquals(crc, ex.actualCrc32c());
            assertEquals("page=" + pageId + " of " + file.toAbsolutePath() + " is corrupt: crc32c=0x" +
                Integer.toHexString(ex.actualCrc32c()) + ", expected 0x" + Integer.toHexString(crc), ex.getMessage());
            assertThrowsExactly(CorruptPageException.class, () -> store.read(pageId, ByteBuffer.allocate(4096)));
            final boolean[] called = new boolean[1];
            assertThrowsExactly(CorruptPageException.class, () -> store.read(pageId, view -> called[0] = true));
            assertFalse(called[0]);
            final VerifyReport report = store.verify();
            assertEquals(new VerifyReport(1, List.of(pageId), 4, List.of(), List.of()), report);
            assertFalse(report.isClean());
        }
    }

    /**
     * A writer thread writes page after page and publishes each receipt (release store) while a reader thread,
     * running at the same time, spins on the slot (acquire load) and reads the page the moment it sees the receipt:
     * the page's bytes and its state must be visible to the reader without a checkpoint and without a join.
     */
    @Test
    void shouldShowWritesOfOtherThreadsWithoutACheckpoint() throws Exception
    {
        final int rounds = 2_000;
        final byte[][] pages = new byte[8][];
        for (int i = 0; i < pages.length; i++)
        {
            pages[i] = page(9 + i);
        }
        try (PageStore store = PageStore.create(dir.resolve("s.store"), rounds + 10))
        {
            final AtomicReferenceArray<PageReceipt> published = new AtomicReferenceArray<>(rounds);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread writerThread = new Thread(() ->
            {
                try (PageWriter writer = store.newWriter())
                {
                    for (int round = 0; round < rounds; round++)
                    {
                        final long pageId = writer.allocate();
                        // Release: pairs with the reader's getAcquire of this slot.
                        published.setRelease(round, writer.write(pageId, pages[round % pages.length]));
                    }
                }
            });
            final int[] seen = new int[1];
            final Thread readerThread = new Thread(() ->
            {
                try
                {
                    final byte[] dst = new byte[PageStore.PAGE_SIZE];
                    for (int round = 0; round < rounds; round++)
                    {
                        PageReceipt receipt;
                        // Acquire: pairs with the writer's setRelease of this slot.
                        while (null == (receipt = published.getAcquire(round)))
                        {
                            Thread.onSpinWait();
                        }
                        store.read(receipt.pageId(), dst);
                        assertArrayEquals(pages[round % pages.length], dst, "page of round " + round);
                        seen[0]++;
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            });
            writerThread.setUncaughtExceptionHandler((thread, ex) -> failure.compareAndSet(null, ex));
            writerThread.setDaemon(true);
            readerThread.setDaemon(true);
            readerThread.start();
            writerThread.start();
            writerThread.join(60_000);
            readerThread.join(60_000);
            assertFalse(writerThread.isAlive() || readerThread.isAlive(), "writer or reader hung");
            if (null != failure.get())
            {
                throw new AssertionError("the writer or the reader failed", failure.get());
            }
            assertEquals(rounds, seen[0]);
            assertEquals(rounds, store.stats().inFlightPages());
        }
    }

    @Test
    void shouldLeaveAPageWritableWhenAnInPlaceWriterThrows() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 10);
            PageWriter writer = store.newWriter())
        {
            final long pageId = writer.allocate();
            final IllegalStateException boom = new IllegalStateException("boom");
            assertEquals(boom, assertThrowsExactly(IllegalStateException.class, () -> writer.write(pageId, view ->
            {
                throw boom;
            })));
            assertThrowsExactly(IllegalStateException.class, () -> read(store, pageId));
            final PageReceipt receipt = writer.write(pageId, view -> view.putBytes(0, page(4)));
            assertEquals(receipt.crc32c(), writer.write(writer.allocate(), page(4)).crc32c());
            assertArrayEquals(page(4), read(store, pageId));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, (1 << 20) + 1})
    void shouldRefuseBadExtentSize(final int pages)
    {
        final IllegalArgumentException ex = assertThrowsExactly(IllegalArgumentException.class,
            () -> StoreOptions.defaults().withExtentPages(pages));
        assertEquals("extentPages=" + pages + " must be in [1, 1048576]", ex.getMessage());
    }

    @Test
    void shouldReportVerifyProgressUpToThePageCount() throws Exception
    {
        try (PageStore store = PageStore.create(dir.resolve("progress.store"), 10_000);
            PageWriter writer = store.newWriter())
        {
            final java.util.List<PageReceipt> receipts = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++)
            {
                receipts.add(writer.write(writer.allocate(), new byte[PageStore.PAGE_SIZE]));
            }
            store.checkpoint(receipts);
            final java.util.List<Long> seen = new java.util.ArrayList<>();
            final VerifyReport report = store.verify(seen::add);
            assertTrue(report.isClean());
            assertEquals(100, report.pagesChecked());
            assertEquals(java.util.List.of(4096L, 8192L, 10_000L), seen);
            assertThrowsExactly(NullPointerException.class, () -> store.verify(null));
        }
    }

    private static void ignore(final DirectBuffer view)
    {
        // Never reached: each call it is passed to is refused before any view is made.
    }
}

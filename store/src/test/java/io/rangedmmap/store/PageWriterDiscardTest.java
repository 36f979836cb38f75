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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.rangedmmap.store.PageStoreTest.page;
import static io.rangedmmap.store.PageStoreTest.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

/**
 * {@link PageWriter#discard(PageReceipt)} and {@link PageWriter#discard(long)}: aborted writes free their pages at
 * once, a discarded receipt is refused by {@code checkpoint}, and every misuse is refused, naming the page and its
 * state, before anything changes.
 */
class PageWriterDiscardTest
{
    private static final long PAGES = 64;

    @TempDir
    Path dir;

    @Test
    void shouldNeverFillAStoreWrittenAndDiscardedAHundredTimesItsCapacity() throws Exception
    {
        final Random random = new Random(7);
        try (PageStore store = PageStore.create(dir.resolve("s.store"), PAGES))
        {
            final PageWriter writer = store.newWriter();
            long written = 0;
            long discardedUnwritten = 0;
            final List<Long> live = new ArrayList<>();
            while (written < 100 * PAGES)
            {
                // A transaction of up to 8 pages, in one run or one by one, aborted at the end.
                final int count = 1 + random.nextInt(8);
                final long first = random.nextBoolean() ? writer.allocate(count) : -1;
                final List<PageReceipt> receipts = new ArrayList<>();
                for (int i = 0; i < count; i++)
                {
                    final long pageId = first >= 0 ? first + i : writer.allocate();
                    if (0 == random.nextInt(5))
                    {
                        writer.discard(pageId);
                        discardedUnwritten++;
                        continue;
                    }
                    receipts.add(writer.write(pageId, page(written++)));
                }
                assertEquals(receipts.size(), store.stats().writtenPages());
                if (0 == random.nextInt(50))
                {
                    // Now and then a transaction commits and an older page is freed, so live pages move about.
                    store.checkpoint(receipts);
                    receipts.forEach(receipt -> live.add(receipt.pageId()));
                    while (live.size() > PAGES / 4)
                    {
                        store.free(live.removeFirst());
                    }
                    store.checkpoint(List.of());
                    continue;
                }
                for (final PageReceipt receipt : receipts)
                {
                    writer.discard(receipt);
                }
                assertEquals(new StoreStats(PAGES, live.size(), PAGES - live.size(), 0, store.lastCheckpoint(), 0),
                    store.stats());
            }
            writer.close();
            // Nothing leaked: a new writer gets every page that is not live, once each, and then no more.
            try (PageWriter all = store.newWriter())
            {
                final java.util.Set<Long> seen = new java.util.HashSet<>(live);
                for (long n = 0; n < PAGES - live.size(); n++)
                {
                    assertEquals(true, seen.add(all.allocate()));
                }
                assertThrowsExactly(StoreFullException.class, all::allocate);
            }
            System.out.println("discard: pages written and discarded=" + written + ", allocated and discarded " +
                "unwritten=" + discardedUnwritten + ", in a store of " + PAGES + " pages");
        }
    }

    @Test
    void shouldRefuseADiscardedReceiptInACheckpointBeforeWritingAnything() throws Exception
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), PAGES);
            PageWriter writer = store.newWriter())
        {
            final PageReceipt kept = writer.write(writer.allocate(), page(1));
            final PageReceipt aborted = writer.write(writer.allocate(), page(2));
            writer.discard(aborted);
            final IllegalArgumentException refused = assertThrowsExactly(IllegalArgumentException.class,
                () -> store.checkpoint(List.of(kept, aborted)));
            assertEquals("receipt for page=1 of " + store.path() + " is stale: it proves a write (stamp=" +
                aborted.stamp() + ", crc32c=0x" + Integer.toHexString(aborted.crc32c()) + ") that is no longer the " +
                "page's: it was discarded, or checkpointed and freed since (the page is now FREE); pass only " +
                "receipts of writes neither checkpointed nor discarded", refused.getMessage());
            assertThrowsExactly(IllegalArgumentException.class, () -> store.checkpointAsync(List.of(aborted)));
            // Refused whole, before anything was written: no checkpoint, and the other receipt is still good.
            assertEquals(0, store.lastCheckpoint());
            assertEquals(new StoreStats(PAGES, 0, PAGES - 1, 1, 0, 1), store.stats());
            assertThrowsExactly(IllegalStateException.class, () -> read(store, 1));
            assertEquals(1, store.checkpoint(List.of(kept)).sequence());
            assertArrayEquals(page(1), read(store, 0));
        }
    }

    @Test
    void shouldFreeADiscardedPageAtOnceForAnyWriterWithANewWriteStamp() throws Exception
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), PAGES,
            StoreOptions.defaults().withExtentPages(1)))
        {
            final PageReceipt first;
            try (PageWriter writer = store.newWriter())
            {
                first = writer.write(writer.allocate(), page(5));
                writer.discard(first);
            }
            try (PageWriter other = store.newWriter())
            {
                // The lowest free page is handed out first: the one just discarded. Same bytes, so same CRC32C.
                assertEquals(0, other.allocate());
                final PageReceipt second = other.write(0, page(5));
                assertEquals(first.crc32c(), second.crc32c());
                assertNotEquals(first.stamp(), second.stamp());
                assertThrowsExactly(IllegalArgumentException.class, () -> store.checkpoint(List.of(first)));
                assertEquals(1, store.checkpoint(List.of(second)).sequence());
            }
            assertArrayEquals(page(5), read(store, 0));
        }
    }

    @Test
    void shouldRefuseEveryMisuseOfADiscardNamingThePageAndItsState() throws Exception
    {
        final Path path = dir.resolve("s.store");
        try (PageStore store = PageStore.create(path, PAGES, StoreOptions.defaults().withExtentPages(4));
            PageWriter writer = store.newWriter();
            PageWriter other = store.newWriter())
        {
            final PageReceipt live = writer.write(writer.allocate(), page(1));
            store.checkpoint(List.of(live));
            final long allocated = writer.allocate();
            final PageReceipt written = writer.write(writer.allocate(), page(2));
            final long foreign = other.allocate();
            final PageReceipt foreignReceipt = other.write(other.allocate(), page(3));

            assertEquals("page=0 of " + path + " cannot be discarded: it is LIVE, its receipt is in a completed " +
                "checkpoint; free it with PageStore.free", assertThrowsExactly(IllegalStateException.class,
                () -> writer.discard(live)).getMessage());
            assertEquals("page=0 of " + path + " cannot be discarded: it is LIVE, durable in a completed " +
                "checkpoint; free it with PageStore.free", assertThrowsExactly(IllegalStateException.class,
                () -> writer.discard(0)).getMessage());
            assertEquals("page=" + written.pageId() + " of " + path + " cannot be discarded by id: it is WRITTEN; " +
                "discard its receipt with discard(PageReceipt)", assertThrowsExactly(IllegalStateException.class,
                () -> writer.discard(written.pageId())).getMessage());
            assertEquals("page=" + foreign + " of " + path + " cannot be discarded by this writer: it is " +
                "ALLOCATED(writer=2), allocated by another writer; a writer discards only pages it allocated",
                assertThrowsExactly(IllegalArgumentException.class, () -> writer.discard(foreign)).getMessage());
            assertEquals("receipt for page=" + foreignReceipt.pageId() + " of " + path + " was issued by another " +
                "writer; a writer discards only its own receipts", assertThrowsExactly(IllegalArgumentException.class,
                () -> writer.discard(foreignReceipt)).getMessage());
            assertEquals("page=63 of " + path + " cannot be discarded: it is FREE, not allocated (never allocated, " +
                "or already discarded)", assertThrowsExactly(IllegalStateException.class,
                () -> writer.discard(63)).getMessage());
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> writer.discard(PAGES));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> writer.discard(-1));
            assertThrowsExactly(NullPointerException.class, () -> writer.discard(null));

            writer.discard(allocated);
            assertEquals("page=" + allocated + " of " + path + " cannot be discarded: it is FREE, not allocated " +
                "(never allocated, or already discarded)", assertThrowsExactly(IllegalStateException.class,
                () -> writer.discard(allocated)).getMessage());
            writer.discard(written);
            assertEquals("receipt for page=" + written.pageId() + " of " + path + " is stale: its write was already " +
                "discarded, or checkpointed and freed since (the page is now FREE); discard only receipts of writes " +
                "neither checkpointed nor discarded", assertThrowsExactly(IllegalArgumentException.class,
                () -> writer.discard(written)).getMessage());
            // Nothing the refused calls touched changed.
            assertArrayEquals(page(1), read(store, 0));
            assertArrayEquals(page(3), read(store, foreignReceipt.pageId()));
            assertEquals(new StoreStats(PAGES, 1, PAGES - 3, 2, 1, 1), store.stats());
            assertEquals(2, store.checkpoint(List.of(foreignReceipt)).sequence());
        }
    }

    @Test
    void shouldRefuseAStaleReceiptAndOneOfAnotherStoreInstance() throws Exception
    {
        final Path path = dir.resolve("s.store");
        final PageReceipt old;
        try (PageStore store = PageStore.create(path, PAGES, StoreOptions.defaults().withExtentPages(1));
            PageWriter writer = store.newWriter())
        {
            old = writer.write(writer.allocate(), page(1));
            store.checkpoint(List.of(old));
            store.free(0);
            store.checkpoint(List.of());
            final PageReceipt again = writer.write(writer.allocate(), page(2));
            assertEquals(0, again.pageId());
            assertEquals("receipt for page=0 of " + path + " is stale: its write was already discarded, or " +
                "checkpointed and freed since (the page is now WRITTEN); discard only receipts of writes neither " +
                "checkpointed nor discarded",
                assertThrowsExactly(IllegalArgumentException.class, () -> writer.discard(old)).getMessage());
            writer.discard(again);
            assertEquals(new StoreStats(PAGES, 0, PAGES, 0, 2, 0), store.stats());
        }
        try (PageStore store = PageStore.open(path);
            PageWriter writer = store.newWriter())
        {
            assertEquals("receipt for page=0 was issued by an earlier instance of " + path + " (before a reopen); " +
                "a writer discards only its own receipts", assertThrowsExactly(IllegalArgumentException.class,
                () -> writer.discard(old)).getMessage());
        }
    }

    @Test
    void shouldRefuseADiscardOnAClosedWriterOrStore() throws Exception
    {
        final PageStore store = PageStore.create(dir.resolve("s.store"), PAGES);
        final PageWriter writer = store.newWriter();
        final PageReceipt receipt = writer.write(writer.allocate(), page(1));
        final long allocated = writer.allocate();
        writer.close();
        assertThrowsExactly(IllegalStateException.class, () -> writer.discard(receipt));
        assertThrowsExactly(IllegalStateException.class, () -> writer.discard(allocated));
        final PageWriter open = store.newWriter();
        store.close();
        assertThrowsExactly(IllegalStateException.class, () -> open.discard(0));
    }

    @Test
    void shouldRefuseADiscardOfAReceiptInACheckpointCallInFlight() throws Exception
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), PAGES);
            PageWriter writer = store.newWriter())
        {
            final PageReceipt receipt = writer.write(writer.allocate(), page(1));
            final var future = store.checkpointAsync(List.of(receipt));
            // The call checked and holds the receipt from the moment checkpointAsync returned, done or not.
            final IllegalStateException refused = assertThrowsExactly(IllegalStateException.class,
                () -> writer.discard(receipt));
            final String message = refused.getMessage();
            final boolean inFlight = message.equals("page=0 of " + store.path() + " cannot be discarded: it is " +
                "WRITTEN and in a checkpoint call in flight, which makes it live; free it once that checkpoint " +
                "returned");
            final boolean done = message.equals("page=0 of " + store.path() + " cannot be discarded: it is LIVE, " +
                "its receipt is in a completed checkpoint; free it with PageStore.free");
            assertEquals(true, inFlight || done, message);
            assertEquals(1, future.get().sequence());
            assertArrayEquals(page(1), read(store, 0));
        }
    }
}

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

import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads racing the checkpoints that publish around the page read. A live page's CRC32C is read from the metadata copy
 * of the last published checkpoint and a written page's from its tag, both of which a checkpoint moves (the page made
 * live and its tag given back, the page freed and its entry cleared, the copy read rewritten by the checkpoint after):
 * a read must never take that for corruption, nor a damaged entry for anything but corruption.
 */
class PageStoreReadRaceTest
{
    private static final int PAGES = 4 * StoreLayout.GROUP_USER_PAGES;
    private static final int STABLE = 64;
    private static final int CHURN = 32;
    private static final int CHECKPOINTS = 2_000;
    private static final int READERS = 3;

    @TempDir
    Path dir;

    /**
     * A committer writes a batch of pages, checkpoints it, frees the batch before and checkpoints again, over and over,
     * in the groups of a set of stable live pages, so that every checkpoint rewrites those groups and swaps the copy
     * readers use; readers read the stable pages, in all three ways, and the churning ones (which may be freed under
     * them), and snapshots read what they pin. No read reports corruption; every read that succeeds returns the bytes
     * written.
     */
    @Test
    @Timeout(300)
    void shouldNeverTakeACheckpointPublishedDuringAReadForCorruption() throws Exception
    {
        final Path file = dir.resolve("race.store");
        final ConcurrentHashMap<Long, Long> seeds = new ConcurrentHashMap<>();
        final List<Long> stable = new ArrayList<>();
        try (PageStore store = PageStore.create(file, PAGES, StoreOptions.defaults().withExtentPages(1)))
        {
            try (PageWriter writer = store.newWriter())
            {
                final List<PageReceipt> receipts = new ArrayList<>();
                for (int i = 0; i < STABLE; i++)
                {
                    final long pageId = writer.allocate();
                    receipts.add(writer.write(pageId, page(pageId)));
                    seeds.put(pageId, pageId);
                    stable.add(pageId);
                }
                store.checkpoint(receipts);
            }
            final AtomicBoolean done = new AtomicBoolean();
            final AtomicLong reads = new AtomicLong();
            final AtomicLong freedUnder = new AtomicLong();
            final AtomicLong snapshotReads = new AtomicLong();
            final AtomicInteger backups = new AtomicInteger();
            final List<Thread> threads = new ArrayList<>();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread committer = Thread.ofPlatform().unstarted(() ->
            {
                try (PageWriter writer = store.newWriter())
                {
                    long seed = 1_000_000;
                    List<Long> previous = List.of();
                    for (int c = 0; c < CHECKPOINTS / 2; c++)
                    {
                        final List<PageReceipt> receipts = new ArrayList<>();
                        final List<Long> batch = new ArrayList<>();
                        for (int i = 0; i < CHURN; i++)
                        {
                            final long pageId = writer.allocate();
                            seeds.put(pageId, ++seed);
                            receipts.add(writer.write(pageId, page(seed)));
                            batch.add(pageId);
                        }
                        store.checkpoint(receipts);
                        for (final long pageId : previous)
                        {
                            store.free(pageId);
                        }
                        store.checkpoint(List.of());
                        previous = batch;
                    }
                }
            });
            threads.add(committer);
            for (int r = 0; r < READERS; r++)
            {
                final int reader = r;
                threads.add(Thread.ofPlatform().unstarted(() ->
                {
                    final SplittableRandom random = new SplittableRandom(reader);
                    final byte[] array = new byte[PageStore.PAGE_SIZE];
                    final ByteBuffer buffer = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE);
                    final byte[] inPlace = new byte[PageStore.PAGE_SIZE];
                    while (!done.get())
                    {
                        final boolean churning = random.nextBoolean();
                        final long pageId = churning ? random.nextLong(PAGES) : stable.get(random.nextInt(STABLE));
                        final Long seed = seeds.get(pageId);
                        try
                        {
                            switch (random.nextInt(3))
                            {
                                case 0 ->
                                {
                                    store.read(pageId, array);
                                    check(pageId, seed, seeds.get(pageId), array);
                                }
                                case 1 ->
                                {
                                    buffer.clear();
                                    store.read(pageId, buffer);
                                    buffer.flip().get(array);
                                    check(pageId, seed, seeds.get(pageId), array);
                                }
                                default ->
                                {
                                    store.read(pageId, view -> view.getBytes(0, inPlace));
                                    check(pageId, seed, seeds.get(pageId), inPlace);
                                }
                            }
                            reads.incrementAndGet();
                        }
                        catch (final IllegalStateException ex)
                        {
                            // Free, or allocated and not yet written: only a churning page may be.
                            if (!churning)
                            {
                                throw ex;
                            }
                            freedUnder.incrementAndGet();
                        }
                        if (1 == reader && backups.get() < 3 && 0 == random.nextInt(1_024))
                        {
                            // A backup copies the live pages with the CRC32C each had at its snapshot, read while
                            // checkpoints free pages and move the copy: a CRC taken in between would be 0.
                            final Path backup = dir.resolve("backup-" + backups.incrementAndGet() + ".store");
                            try
                            {
                                store.backup(backup);
                            }
                            catch (final java.io.IOException ex)
                            {
                                throw new java.io.UncheckedIOException(ex);
                            }
                        }
                        if (0 == reader && 0 == random.nextInt(64))
                        {
                            try (StoreSnapshot snapshot = store.snapshot())
                            {
                                for (long id = 0; id < PAGES; id += 1 + random.nextInt(8))
                                {
                                    if (snapshot.isLive(id))
                                    {
                                        snapshot.read(id, array);
                                        snapshotReads.incrementAndGet();
                                    }
                                }
                            }
                        }
                    }
                }));
            }
            for (final Thread thread : threads)
            {
                thread.setUncaughtExceptionHandler((t, ex) -> failure.compareAndSet(null, ex));
                thread.start();
            }
            committer.join();
            done.set(true);
            Workers.join(threads, failure, "reads racing checkpoints");
            assertEquals(1 + CHECKPOINTS, store.lastCheckpoint());
            assertTrue(reads.get() > 1_000, "reads: " + reads.get());
            assertTrue(freedUnder.get() > 0, "no read found its page freed: the race was not run");
            assertTrue(snapshotReads.get() > 0, "no snapshot read");
            assertTrue(backups.get() > 0, "no backup taken during the checkpoints");
            assertTrue(store.verify().isClean());
            for (int b = 1; b <= backups.get(); b++)
            {
                try (PageStore copy = PageStore.open(dir.resolve("backup-" + b + ".store")))
                {
                    final VerifyReport report = copy.verify();
                    assertTrue(report.isClean(), "backup " + b + ": " + report);
                }
            }
        }
    }

    /**
     * A read into a read-only buffer is refused before anything is read (the copy would write through the array or
     * address the buffer hides), and a view passed to a reader no longer reaches the mapping once the read returns.
     */
    @Test
    void shouldRefuseAReadOnlyBufferAndEmptyAKeptView() throws Exception
    {
        final Path file = dir.resolve("views.store");
        try (PageStore store = PageStore.create(file, PAGES); PageWriter writer = store.newWriter())
        {
            final long pageId = writer.allocate();
            store.checkpoint(List.of(writer.write(pageId, page(3))));
            final ByteBuffer readOnly = ByteBuffer.allocate(PageStore.PAGE_SIZE).asReadOnlyBuffer();
            final IllegalArgumentException ex = assertThrowsExactly(IllegalArgumentException.class,
                () -> store.read(pageId, readOnly));
            assertEquals("dst is a read-only buffer; pass a writable one", ex.getMessage());
            assertEquals(0, readOnly.position());
            // A direct one hides an address, which a copy would write through: the case that matters.
            final ByteBuffer readOnlyDirect = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE).asReadOnlyBuffer();
            assertThrowsExactly(IllegalArgumentException.class, () -> store.read(pageId, readOnlyDirect));
            assertEquals(0, readOnlyDirect.get(0), "the read wrote through a read-only buffer");
            try (StoreSnapshot snapshot = store.snapshot())
            {
                assertThrowsExactly(IllegalArgumentException.class, () -> snapshot.read(pageId, readOnly));
                final org.agrona.DirectBuffer[] kept = new org.agrona.DirectBuffer[1];
                snapshot.read(pageId, view -> kept[0] = view);
                assertEquals(0, kept[0].capacity(), "a snapshot's view still reaches the mapping");
            }
            final org.agrona.DirectBuffer[] kept = new org.agrona.DirectBuffer[1];
            final byte[] seen = new byte[PageStore.PAGE_SIZE];
            store.read(pageId, view ->
            {
                view.getBytes(0, seen);
                kept[0] = view;
            });
            assertArrayEquals(page(3), seen);
            assertEquals(0, kept[0].capacity(), "the store's view still reaches the mapping");
        }
    }

    /**
     * The CRC32C of a live page is read from its metadata entry at every read: an entry damaged after the page's group
     * was loaded is reported as a corrupt page, typed, at once (no read again without end), and so is its verify.
     */
    @Test
    void shouldReportAPageWhoseEntryWasDamagedAfterOpenAsCorrupt() throws Exception
    {
        final Path file = dir.resolve("entry.store");
        final long pageId;
        final long sequence;
        try (PageStore store = PageStore.create(file, PAGES); PageWriter writer = store.newWriter())
        {
            pageId = writer.allocate();
            sequence = store.checkpoint(List.of(writer.write(pageId, page(7)))).sequence();
        }
        try (PageStore store = PageStore.open(file))
        {
            final byte[] read = new byte[PageStore.PAGE_SIZE];
            store.read(pageId, read);
            assertArrayEquals(page(7), read);
            final long entry = StoreLayout.metadataOffsetOf((int)(sequence & 1),
                MetadataPageDescriptor.tablePageOf(pageId)) + MetadataPageDescriptor.entryOffset(pageId) +
                MetadataPageDescriptor.ENTRY_CRC_OFFSET;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                channel.write(ByteBuffer.wrap(new byte[]{1, 2, 3, 4}), entry);
            }
            final CorruptPageException ex = assertThrowsExactly(CorruptPageException.class,
                () -> store.read(pageId, read));
            assertEquals(0x04030201, ex.expectedCrc32c());
            final RangeReaderProbe never = new RangeReaderProbe();
            assertThrowsExactly(CorruptPageException.class, () -> store.read(pageId, never));
            assertEquals(0, never.calls, "the caller's reader ran on a corrupt page");
            assertThrowsExactly(CorruptPageException.class,
                () -> store.read(pageId, ByteBuffer.allocate(PageStore.PAGE_SIZE)));
            final VerifyReport report = store.verify();
            assertEquals(List.of(pageId), report.corruptPages(), report.toString());
        }
    }

    private static void check(final long pageId, final Long before, final Long after, final byte[] read)
    {
        // The page may have been freed and written again around the read: its bytes are one of the two seeds'.
        if ((null == before || !Arrays.equals(page(before), read)) &&
            (null == after || !Arrays.equals(page(after), read)))
        {
            throw new AssertionError("page=" + pageId + " read bytes of neither seed " + before + " nor " + after);
        }
    }

    private static final class RangeReaderProbe implements io.rangedmmap.mmap.RangeReader
    {
        private int calls;

        @Override
        public void read(final org.agrona.DirectBuffer view)
        {
            calls++;
        }
    }
}

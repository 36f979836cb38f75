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
import io.rangedmmap.store.internal.Checkpointer;
import io.rangedmmap.store.internal.Formatter;
import io.rangedmmap.store.internal.StoreIo;
import io.rangedmmap.store.internal.format.StoreLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ordering (matrix row 8): a recording {@link StoreIo} checks that a checkpoint writes its metadata into the copy the
 * durable superblock does not name, then its superblock into the slot the durable one does not use, then makes its
 * pages, that metadata and the superblock durable with one flush, and only then returns (a checkpoint above
 * {@link Checkpointer#ONE_FLUSH_MAX_PAGES} pages flushes pages and metadata before writing the superblock, then flushes
 * that); that create flushes the whole file before its directory fsync, which comes after the rename; and that a
 * failed flush stops the sequence there and fails the store.
 */
class CheckpointOrderTest
{
    private static final long PAGES = 1100;

    @TempDir
    Path dir;

    private record Event(String kind, long from, long to)
    {
        @Override
        public String toString()
        {
            return kind + "[" + from + ", " + to + ")";
        }
    }

    /**
     * Records each write and flush in file pages, and fails the flush numbered {@code failAt} (0 for none).
     */
    private static final class Recorder implements StoreIo
    {
        final List<Event> events = new ArrayList<>();
        final Path target;
        int failAt;
        int flushes;
        boolean targetExistedAtSync;
        boolean temporaryExistedAtSync;
        IOException failure;

        Recorder(final Path target)
        {
            this.target = target;
        }

        @Override
        public void writeAt(final RawMmapFile file, final long offset, final byte[] page)
        {
            events.add(new Event("write", offset / 4096, (offset + page.length) / 4096));
            file.writeAt(offset, page);
        }

        @Override
        public void flushRange(final RawMmapFile file, final long offset, final long length) throws IOException
        {
            events.add(new Event("flush", offset / 4096, (offset + length) / 4096));
            if (++flushes == failAt)
            {
                failure = new IOException("injected failure of flush " + flushes);
                throw failure;
            }
            file.flushRange(offset, length);
        }

        @Override
        public void syncDirectory(final Path directory) throws IOException
        {
            events.add(new Event("syncDirectory", 0, 0));
            assertEquals(target.getParent(), directory);
            targetExistedAtSync = Files.exists(target);
            temporaryExistedAtSync = !Formatter.temporaryFiles(target).isEmpty();
            StoreIo.DIRECT.syncDirectory(directory);
        }
    }

    @Test
    void shouldFlushTheWholeFileBeforeRenameAndSyncTheDirectoryAfterIt() throws IOException
    {
        final Path file = dir.resolve("s.store").toAbsolutePath();
        final Recorder recorder = new Recorder(file);
        final StoreLayout layout = new StoreLayout(PAGES);
        final long filePages = layout.fileSize() / 4096;
        try (PageStore store = PageStore.create(file, PAGES, StoreOptions.defaults(), recorder))
        {
            final List<Event> events = recorder.events;
            final int flush = events.indexOf(new Event("flush", 0, filePages));
            assertTrue(flush > 0, events.toString());
            assertEquals(List.of(new Event("syncDirectory", 0, 0)), events.subList(flush + 1, events.size()));
            final TreeSet<Long> written = new TreeSet<>();
            for (final Event event : events.subList(0, flush))
            {
                assertEquals("write", event.kind());
                written.add(event.from());
            }
            // Both superblocks and both metadata copies, every page, before the flush.
            assertEquals(2 + 2 * layout.metadataPages(), written.size());
            assertEquals(layout.metadataOffset(1, layout.metadataPages() - 1) / 4096, written.last());
            assertTrue(recorder.targetExistedAtSync, "the directory fsync must follow the rename");
            assertFalse(recorder.temporaryExistedAtSync, "the temporary name must be gone at the directory fsync");
            assertEquals(0, store.lastCheckpoint());
        }
    }

    @Test
    void shouldFlushDataThenMetadataThenSuperblockBeforeAcknowledging() throws IOException
    {
        final Path file = dir.resolve("s.store").toAbsolutePath();
        PageStore.create(file, PAGES).close();
        final Recorder recorder = new Recorder(file);
        final StoreLayout layout = new StoreLayout(PAGES);
        final long dataStart = layout.dataOffset(0) / 4096;
        try (PageStore store = PageStore.open(file, StoreOptions.defaults().withExtentPages(8), recorder);
            PageWriter writer = store.newWriter())
        {
            final List<Long> live = new ArrayList<>();
            for (int checkpoint = 1; checkpoint <= 12; checkpoint++)
            {
                final List<PageReceipt> receipts = new ArrayList<>();
                final TreeSet<Long> pages = new TreeSet<>();
                final long run = writer.allocate(checkpoint % 3 + 1);
                for (long page = run; page < run + checkpoint % 3 + 1; page++)
                {
                    receipts.add(writer.write(page, page(page)));
                    pages.add(page);
                }
                final long single = writer.allocate(2) + 1;
                receipts.add(writer.write(single, page(single)));
                pages.add(single);
                final List<Long> frees = new ArrayList<>();
                if (checkpoint % 4 == 0)
                {
                    frees.add(live.removeFirst());
                    store.free(frees.getFirst());
                }
                store.setRoot(0, checkpoint);
                recorder.events.clear();
                final Checkpoint done = store.checkpoint(receipts);
                recorder.events.add(new Event("acknowledged", 0, 0));
                assertEquals(checkpoint, done.sequence());
                assertCheckpointOrder(recorder.events, layout, checkpoint, pages, dataStart);
                live.addAll(pages);
            }
        }
    }

    @Test
    void shouldFlushALargeCheckpointsPagesBeforeWritingItsSuperblock() throws IOException
    {
        final Path file = dir.resolve("large.store").toAbsolutePath();
        PageStore.create(file, PAGES).close();
        final Recorder recorder = new Recorder(file);
        final StoreLayout layout = new StoreLayout(PAGES);
        final long dataStart = layout.dataOffset(0) / 4096;
        try (PageStore store = PageStore.open(file, StoreOptions.defaults(), recorder);
            PageWriter writer = store.newWriter())
        {
            final int size = Checkpointer.ONE_FLUSH_MAX_PAGES + 1;
            final long first = writer.allocate(size);
            final List<PageReceipt> receipts = new ArrayList<>();
            final TreeSet<Long> pages = new TreeSet<>();
            for (long page = first; page < first + size; page++)
            {
                receipts.add(writer.write(page, page(page)));
                pages.add(page);
            }
            recorder.events.clear();
            store.checkpoint(receipts);
            recorder.events.add(new Event("acknowledged", 0, 0));
            assertCheckpointOrder(recorder.events, layout, 1, pages, dataStart);
        }
    }

    private static void assertCheckpointOrder(final List<Event> events, final StoreLayout layout, final long sequence,
        final TreeSet<Long> pages, final long dataStart)
    {
        final String all = "checkpoint " + sequence + ": " + events;
        int i = 0;
        final int copy = (int)(sequence & 1);
        if (1 == sequence)
        {
            // The store was opened from a clean close (create then close): its first checkpoint first rewrites, and
            // flushes, the spare slot's clean mark away, before it writes any metadata.
            assertEquals(List.of(new Event("write", copy, copy + 1), new Event("flush", copy, copy + 1)),
                events.subList(0, 2), "the clean mark cleared first: " + all);
            i = 2;
        }
        final long copyStart = layout.metadataOffset(copy, 0) / 4096;
        final long copyEnd = copyStart + layout.metadataPages();
        long low = Long.MAX_VALUE;
        long high = Long.MIN_VALUE;
        while ("write".equals(events.get(i).kind()) && events.get(i).from() >= 2)
        {
            final Event event = events.get(i++);
            assertTrue(event.from() >= copyStart && event.to() <= copyEnd,
                "metadata goes to copy " + copy + " only: " + all);
            low = Math.min(low, event.from());
            high = Math.max(high, event.to());
        }
        assertTrue(low < high, "metadata written first, nothing flushed before: " + all);
        final boolean oneFlush = pages.size() <= Checkpointer.ONE_FLUSH_MAX_PAGES;
        if (!oneFlush)
        {
            // A large checkpoint: its pages and metadata are durable before its superblock is written.
            final Event flush = events.get(i++);
            assertEquals("flush", flush.kind(), all);
            assertTrue(flush.from() >= 2 && flush.from() <= low && flush.to() >= high,
                "the flush covers the metadata written and no superblock: " + all);
            assertCovers(flush, pages, dataStart, all);
            assertEquals(List.of(new Event("write", copy, copy + 1), new Event("flush", copy, copy + 1),
                new Event("acknowledged", 0, 0)), events.subList(i, events.size()),
                "then the superblock of slot " + copy + " is written and flushed, then acknowledged: " + all);
            return;
        }
        // The superblock of the slot the durable one does not use, then one flush of it all, then the return.
        assertEquals(new Event("write", copy, copy + 1), events.get(i++), all);
        final Event flush = events.get(i++);
        assertEquals("flush", flush.kind(), all);
        assertTrue(flush.from() == copy && flush.to() >= high, "one flush from the superblock over the metadata: " +
            all);
        assertCovers(flush, pages, dataStart, all);
        assertEquals(List.of(new Event("acknowledged", 0, 0)), events.subList(i, events.size()), all);
    }

    private static void assertCovers(final Event flush, final TreeSet<Long> pages, final long dataStart,
        final String all)
    {
        for (final long page : pages)
        {
            assertTrue(flush.from() <= dataStart + page && dataStart + page < flush.to(),
                "the flush covers page " + page + ": " + all);
        }
    }

    @ParameterizedTest
    @CsvSource({"2, 1, 1", "2, 2, 2", "300, 1, 1", "300, 2, 1", "300, 3, 2"})
    void shouldStopAtTheFailedFlushAndFailTheStore(final int size, final int failAt, final long reopensAt)
        throws IOException
    {
        final Path file = dir.resolve("s.store").toAbsolutePath();
        final long kept;
        try (PageStore store = PageStore.create(file, PAGES); PageWriter writer = store.newWriter())
        {
            kept = writer.allocate();
            store.checkpoint(List.of(writer.write(kept, page(1))));
        }
        final Recorder recorder = new Recorder(file);
        recorder.failAt = failAt;
        final byte[] superblocks;
        final java.util.Map<Long, Long> added = new java.util.HashMap<>();
        try (PageStore store = PageStore.open(file, StoreOptions.defaults(), recorder);
            PageWriter writer = store.newWriter())
        {
            // The store was closed cleanly: flush 1 clears the mark (a superblock write). Then a one-flush checkpoint
            // (2 pages) writes its superblock before its one flush; a large one (300) flushes pages and metadata
            // (flush 2), then writes its superblock and flushes it (flush 3).
            final long a = writer.allocate(size + 1);
            final List<PageReceipt> receipts = new ArrayList<>();
            for (long page = a; page < a + size + 1; page++)
            {
                if (page != a + 1)
                {
                    receipts.add(writer.write(page, page(page + 10)));
                    added.put(page, page + 10);
                }
            }
            final StoreFailedException ex =
                assertThrowsExactly(StoreFailedException.class, () -> store.checkpoint(receipts));
            assertSame(recorder.failure, ex.getCause());
            final Event last = recorder.events.getLast();
            assertEquals("flush", last.kind(), "nothing is written after the failed flush: " + recorder.events);
            assertEquals(failAt, recorder.flushes);
            final long superblockWrites = recorder.events.stream()
                .filter(e -> "write".equals(e.kind()) && e.from() < 2).count();
            assertEquals(2 == reopensAt ? 2 : 1, superblockWrites, recorder.events.toString());
            assertSame(recorder.failure,
                assertThrowsExactly(StoreFailedException.class, () -> store.checkpoint(List.of())).getCause());
            assertSame(recorder.failure,
                assertThrowsExactly(StoreFailedException.class, store::lastCheckpoint).getCause());
            assertEquals(failAt, recorder.flushes, "a failed store never flushes again");
            superblocks = new byte[8192];
            store.file().readAt(0, superblocks);
        }
        try (PageStore store = PageStore.open(file))
        {
            // The page cache kept the superblock written before its flush failed, and all it names: that checkpoint
            // is whole. Without the superblock written, the previous one.
            assertEquals(reopensAt, store.lastCheckpoint());
            assertEquals(reopensAt, ByteBuffer.wrap(superblocks).order(ByteOrder.LITTLE_ENDIAN)
                .getLong((int)((reopensAt & 1) * 4096 + 32)));
            final StoreOracle.Snapshot one = new StoreOracle.Snapshot(1, java.util.Map.of(kept, 1L),
                new long[PageStore.ROOT_SLOTS]);
            StoreOracle.assertHolds(store, 2 == reopensAt ? one.next(added, List.of(), one.roots()) : one, null,
                "size=" + size + ", failAt=" + failAt);
        }
    }
}

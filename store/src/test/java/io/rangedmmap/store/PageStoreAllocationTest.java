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

import io.rangedmmap.mmap.Advice;
import io.rangedmmap.mmap.RangeReader;
import io.rangedmmap.mmap.RangeWriter;
import io.rangedmmap.mmap.RawMmapFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store's reads allocate nothing of their own once the JIT has compiled them (issue 13: no CRC32C, segment,
 * buffer or lambda per read), measured with the thread's allocation counter over many calls after a warm-up and
 * compared with the mapped read of the same bytes that each store read makes (whose own allocation is the mmap
 * module's concern).
 */
class PageStoreAllocationTest
{
    private static final int PAGES = 256;
    private static final int WARM_UP = 60_000;
    private static final int MEASURED = 20_000;
    private static final int ROUND = 4_096;

    /**
     * The most a receipt may take: a 12-byte header, a reference and three ints, rounded up to 8 bytes.
     */
    private static final int RECEIPT = 32;

    @TempDir
    Path dir;

    private static double bytesPerCall(final LongConsumer call)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        for (int i = 0; i < WARM_UP; i++)
        {
            call.accept(i);
        }
        // The least of three windows: a one-off allocation (a late JIT transition, a thread-local's first use) is
        // not a per-call cost.
        long least = Long.MAX_VALUE;
        for (int window = 0; window < 3; window++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MEASURED; i++)
            {
                call.accept(i);
            }
            least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
        }
        return (double)least / MEASURED;
    }

    @Test
    void shouldAllocateNothingPerRead() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), PAGES))
        {
            final long first;
            try (PageWriter writer = store.newWriter())
            {
                first = writer.allocate(PAGES);
                final List<PageReceipt> receipts = new ArrayList<>();
                for (int i = 0; i < PAGES; i++)
                {
                    receipts.add(writer.write(first + i, PageStoreTest.page(i)));
                }
                store.checkpoint(receipts);
            }
            final byte[] array = new byte[PageStore.PAGE_SIZE];
            final ByteBuffer heap = ByteBuffer.allocate(PageStore.PAGE_SIZE);
            final ByteBuffer direct = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE);
            final long[] sum = new long[1];
            final RangeReader reader = view -> sum[0] += view.getByte(7);
            final RawMmapFile file = store.file();
            final long base = store.layout().dataOffset(first);
            final double intoArray = bytesPerCall(i -> store.read(first + i % PAGES, array));
            final double intoHeap = bytesPerCall(i -> store.read(first + i % PAGES, heap.clear()));
            final double intoDirect = bytesPerCall(i -> store.read(first + i % PAGES, direct.clear()));
            final double inPlace = bytesPerCall(i -> store.read(first + i % PAGES, reader));
            final double rawArray = bytesPerCall(i -> file.readAt(base + (i % PAGES) * PageStore.PAGE_SIZE, array));
            final double rawHeap = bytesPerCall(i ->
                file.readAt(base + (i % PAGES) * PageStore.PAGE_SIZE, heap.clear()));
            final double rawDirect = bytesPerCall(i ->
                file.readAt(base + (i % PAGES) * PageStore.PAGE_SIZE, direct.clear()));
            final double rawInPlace = bytesPerCall(i ->
                file.readAt(base + (i % PAGES) * PageStore.PAGE_SIZE, PageStore.PAGE_SIZE, reader));
            final String figures = "B/call, store read (mapped read under it): array=" + intoArray + " (" + rawArray +
                ") heap=" + intoHeap + " (" + rawHeap + ") direct=" + intoDirect + " (" + rawDirect + ") inPlace=" +
                inPlace + " (" + rawInPlace + ")";
            System.out.println(figures);
            assertTrue(intoArray - rawArray < 1, figures);
            assertTrue(intoHeap - rawHeap < 1, figures);
            assertTrue(intoDirect - rawDirect < 1, figures);
            assertTrue(inPlace - rawInPlace < 1, figures);
            assertTrue(sum[0] != 0 || PageStoreTest.page(0)[7] == 0, "the reader ran");
        }
    }

    /**
     * A page write allocates its receipt and nothing else of its own: measured over rounds of {@link #ROUND} writes
     * (the untimed checkpoint and free between rounds excluded), against the mapped write under it.
     */
    @Test
    void shouldAllocateOnlyTheReceiptPerWrite() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("w.store"), 2L * ROUND))
        {
            final byte[] data = PageStoreTest.page(5);
            final RangeWriter filler = view -> view.putBytes(0, data);
            final double fromArray = bytesPerWrite(store, (writer, pageId) -> writer.write(pageId, data), false);
            // Pages advised POPULATE_WRITE first: the copy goes through the mapping after the populated-pages lookup.
            final double populated = bytesPerWrite(store, (writer, pageId) -> writer.write(pageId, data), true);
            final double inPlace = bytesPerWrite(store, (writer, pageId) -> writer.write(pageId, filler), false);
            final RawMmapFile file = store.file();
            final long base = store.layout().dataOffset(0);
            final double rawArray = bytesPerCall(i -> file.writeAt(base + (i % ROUND) * PageStore.PAGE_SIZE, data));
            final double rawInPlace = bytesPerCall(i ->
                file.writeAt(base + (i % ROUND) * PageStore.PAGE_SIZE, PageStore.PAGE_SIZE, filler));
            final String figures = "B/write, page write (mapped write under it): array=" + fromArray + " (" +
                rawArray + ") populated=" + populated + " (" + rawArray + ") inPlace=" + inPlace + " (" + rawInPlace +
                "); the receipt is at most " + RECEIPT + " B";
            System.out.println(figures);
            assertTrue(fromArray - rawArray <= RECEIPT, figures);
            assertTrue(populated - rawArray <= RECEIPT, figures);
            assertTrue(inPlace - rawInPlace <= RECEIPT, figures);
        }
    }

    private interface PageWrite
    {
        PageReceipt write(PageWriter writer, long pageId);
    }

    private static double bytesPerWrite(final PageStore store, final PageWrite write, final boolean populate)
        throws IOException
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final PageReceipt[] receipts = new PageReceipt[ROUND];
        long measured = 0;
        long writes = 0;
        for (int round = 0; round < 24; round++)
        {
            try (PageWriter writer = store.newWriter())
            {
                final long first = writer.allocate(ROUND);
                if (populate)
                {
                    // Two runs, so the lookup searches rather than hits the only run.
                    store.advise(first, ROUND / 2, Advice.POPULATE_WRITE);
                    store.advise(first + ROUND / 2 + 1, ROUND / 2 - 1, Advice.POPULATE_WRITE);
                }
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < ROUND; i++)
                {
                    receipts[i] = write.write(writer, first + i);
                }
                final long after = threads.getCurrentThreadAllocatedBytes();
                if (round >= 16)
                {
                    measured += after - before;
                    writes += ROUND;
                }
                store.checkpoint(Arrays.asList(receipts));
                for (final PageReceipt receipt : receipts)
                {
                    store.free(receipt.pageId());
                }
                store.checkpoint(List.of());
            }
        }
        return (double)measured / writes;
    }
}

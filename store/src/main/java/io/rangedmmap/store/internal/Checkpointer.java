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
package io.rangedmmap.store.internal;

import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.Checkpoint;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import io.rangedmmap.store.internal.jfr.CheckpointTrace;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.Arrays;

/**
 * Makes one checkpoint durable, in the order that makes it atomic: the metadata table pages are written into the
 * copy the durable checkpoint does not use; then the receipts' data pages and those metadata pages are flushed, by one
 * {@code msync} over the span that holds them; only then is the superblock written and flushed. Everything the new
 * superblock names is durable before the superblock is written, and nothing the old one names is touched.
 *
 * <p><b>Double-buffered metadata.</b> Checkpoint {@code N} writes metadata copy {@code N % 2}, which the durable
 * checkpoint {@code N - 1} does not use. That copy was last brought up to date by checkpoint {@code N - 2}, so it
 * differs from the state of checkpoint {@code N} only in the table pages changed by checkpoints {@code N - 1} and
 * {@code N}: those are the pages written, each built from the current copy plus this checkpoint's changes. The
 * cost grows with what changed, not with the size of the store. After an open, the pages in which the two copies
 * differ (a crash may have left the other copy half-written) stand in for the changes of {@code N - 1}.
 *
 * <p><b>Thread safety:</b> one checkpoint at a time (the store's checkpoint lock).
 */
public final class Checkpointer
{
    private final RawMmapFile file;
    private final StoreIo io;
    private final StoreLayout layout;
    private final PageTable table;
    private final byte[] scratch = new byte[StoreLayout.PAGE_SIZE];
    private final UnsafeBuffer scratchBuffer = new UnsafeBuffer(scratch);
    private long[] previousDirty;

    /**
     * Creates the checkpointer of an open store.
     *
     * @param file          the store file.
     * @param io            the seam every metadata write and flush goes through.
     * @param layout        its layout.
     * @param table         the page table, for the CRCs of the pages to commit.
     * @param previousDirty the table pages in which the two metadata copies may differ, ascending.
     */
    public Checkpointer(final RawMmapFile file, final StoreIo io, final StoreLayout layout, final PageTable table,
        final long[] previousDirty)
    {
        this.file = file;
        this.io = io;
        this.layout = layout;
        this.table = table;
        this.previousDirty = previousDirty;
    }

    /**
     * Writes and flushes checkpoint {@code sequence}; on return it is durable.
     *
     * @param sequence  the new checkpoint's sequence, one above the last durable one.
     * @param pages     the pages to make live, ascending, all WRITTEN.
     * @param frees     the pages to free, ascending, all FREEING.
     * @param roots     the root slots to record.
     * @param livePages the number of live pages after this checkpoint.
     * @return what was flushed.
     * @throws IOException if a flush fails; the file has failed and the checkpoint is not durable.
     */
    public Checkpoint run(final long sequence, final long[] pages, final long[] frees, final long[] roots,
        final long livePages) throws IOException
    {
        final long startNanos = System.nanoTime();
        final CheckpointTrace trace = CheckpointTrace.begin();
        final long[] dirty = dirtyTablePages(pages, frees);
        final int copy = (int)(sequence & 1);
        int nextPage = 0;
        int nextFree = 0;
        for (final long tablePage : dirty)
        {
            file.readAt(layout.metadataOffset(1 - copy, tablePage), scratch);
            while (nextPage < pages.length && MetadataPageDescriptor.tablePageOf(pages[nextPage]) == tablePage)
            {
                final long page = pages[nextPage++];
                MetadataPageDescriptor.putEntry(scratchBuffer, page, MetadataPageDescriptor.FLAG_LIVE,
                    table.crc((int)page));
            }
            while (nextFree < frees.length && MetadataPageDescriptor.tablePageOf(frees[nextFree]) == tablePage)
            {
                MetadataPageDescriptor.putEntry(scratchBuffer, frees[nextFree++], 0, 0);
            }
            MetadataPageDescriptor.seal(scratchBuffer, tablePage, sequence);
            // The copy is not the one the durable superblock names: it is safe to write in place.
            io.writeAt(file, layout.metadataOffset(copy, tablePage), scratch);
        }
        trace.metadataWritten();
        flushDataAndMetadata(pages, dirty, copy);
        trace.flushed();
        // Written only after the metadata it names is durable: the kernel may write the page back at any moment.
        Arrays.fill(scratch, (byte)0);
        SuperblockDescriptor.encode(scratchBuffer, new Superblock(StoreLayout.PAGE_SIZE, layout.pageCount(),
            layout.metadataPages(), sequence, copy, livePages, roots));
        final long superblockOffset = StoreLayout.superblockOffset(copy);
        io.writeAt(file, superblockOffset, scratch);
        io.flushRange(file, superblockOffset, StoreLayout.PAGE_SIZE);

        previousDirty = changedTablePages(pages, frees);
        final long bytes = ((long)pages.length + dirty.length + 1) * StoreLayout.PAGE_SIZE;
        final Checkpoint checkpoint = new Checkpoint(sequence, pages.length, dirty.length, bytes,
            System.nanoTime() - startNanos);
        trace.end(file.path(), checkpoint);
        return checkpoint;
    }

    /**
     * Makes the receipts' pages and the new metadata durable with one {@code msync} over the span that holds them all.
     *
     * <p>Neither is referenced by the durable superblock yet, so they may reach the disk together, in any order, as
     * long as both are durable before the superblock is written. One sync is one device cache flush: a flush per
     * data run and another for the metadata made small checkpoints two to four times dearer than LMDB's two
     * {@code fdatasync}s. The span's clean pages cost nothing (only dirty pages are written back); dirty pages of
     * writers not in this checkpoint that lie inside it are written early, which is harmless (the kernel may write
     * any page back at any moment) and unreferenced until a later checkpoint names them.
     */
    private void flushDataAndMetadata(final long[] pages, final long[] dirty, final int copy) throws IOException
    {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        if (0 != pages.length)
        {
            // pages is ascending.
            from = layout.dataOffset(pages[0]);
            to = layout.dataOffset(pages[pages.length - 1]) + StoreLayout.PAGE_SIZE;
        }
        if (0 != dirty.length)
        {
            from = Math.min(from, layout.metadataOffset(copy, dirty[0]));
            to = Math.max(to, layout.metadataOffset(copy, dirty[dirty.length - 1]) + StoreLayout.PAGE_SIZE);
        }
        if (from < to)
        {
            io.flushRange(file, from, to - from);
        }
    }

    private long[] dirtyTablePages(final long[] pages, final long[] frees)
    {
        final long[] changed = changedTablePages(pages, frees);
        final long[] all = Arrays.copyOf(changed, changed.length + previousDirty.length);
        System.arraycopy(previousDirty, 0, all, changed.length, previousDirty.length);
        return sortedDistinct(all, all.length);
    }

    private static long[] changedTablePages(final long[] pages, final long[] frees)
    {
        final long[] all = new long[pages.length + frees.length];
        int count = 0;
        for (final long page : pages)
        {
            all[count++] = MetadataPageDescriptor.tablePageOf(page);
        }
        for (final long page : frees)
        {
            all[count++] = MetadataPageDescriptor.tablePageOf(page);
        }
        return sortedDistinct(all, count);
    }

    private static long[] sortedDistinct(final long[] values, final int length)
    {
        Arrays.sort(values, 0, length);
        int count = 0;
        for (int i = 0; i < length; i++)
        {
            if (0 == count || values[count - 1] != values[i])
            {
                values[count++] = values[i];
            }
        }
        return Arrays.copyOf(values, count);
    }
}

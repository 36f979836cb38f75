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
import io.rangedmmap.store.IncompatibleStoreException;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import io.rangedmmap.store.internal.jfr.CheckpointTrace;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * Writes one checkpoint and makes it durable, so that it is atomic: the metadata table pages are written into the
 * copy the durable checkpoint does not use, then the superblock, which names what the checkpoint wrote (the count
 * and digest of its metadata pages, the count of its new user pages); then one flush over the span that holds the
 * superblock, the metadata and the user pages makes them durable together. Nothing the durable superblock names is
 * touched, so if a power loss keeps the new superblock but not everything it names, open finds out (see
 * {@link Recovery}) and falls back to the previous checkpoint, exactly.
 *
 * <p><b>One flush, or two.</b> Each device flush costs a fixed few hundred microseconds here (a journal commit and a
 * cache flush), which dominates small checkpoints: a second flush made a one-page commit nearly twice as dear. A
 * checkpoint of more than {@link #ONE_FLUSH_MAX_PAGES} user pages still uses two (pages and metadata, then the
 * superblock), because open would have to read and checksum all of its pages; see that constant for the measurement.
 *
 * <p><b>Double-buffered metadata.</b> Checkpoint {@code N} writes metadata copy {@code N % 2}, which the durable
 * checkpoint {@code N - 1} does not use. That copy was last brought up to date by checkpoint {@code N - 2}, so it
 * differs from the state of checkpoint {@code N} only in the table pages changed by checkpoints {@code N - 1} and
 * {@code N}: those are the pages written, each built from the current copy plus this checkpoint's changes. The
 * cost grows with what changed, not with the size of the store. After an open, the pages in which the two copies
 * differ (a crash may have left the other copy half-written) stand in for the changes of {@code N - 1}.
 *
 * <p><b>Clean close.</b> {@link #closeClean} makes the two copies equal (it copies the pages in which they may differ
 * into the other copy, byte for byte, and flushes them), then writes a copy of the durable superblock with
 * {@link SuperblockDescriptor#FLAG_CLEAN} into the spare slot and flushes it: the next open need not compare the
 * copies. A run opened from such a store rewrites that slot without the flag, flushed, at the start of its first
 * checkpoint, before it writes any metadata: a crash later in that checkpoint must not leave pages in the other copy
 * while the durable superblock still says the copies are equal.
 *
 * <p><b>Thread safety:</b> one checkpoint at a time (the leader of the group commit), and
 * {@link #closeClean} only while none runs.
 */
public final class Checkpointer
{
    /**
     * The largest checkpoint, in user pages, made durable with one flush; larger ones use two, so that open's extra
     * work after a crash (reading and checksumming the pages of the checkpoint in flight) stays bounded: at most
     * 1 MiB. Measured by {@code CheckpointFlushProbe} on the 2-core VM (ext4, virtio disk, load 9-14), 2026-11-29,
     * benchmarks/results/2026-11-29-issue14-commits/flush-probe.md: the second flush costs a fixed 0.6-0.7 ms, the
     * flush of a 256-page checkpoint 3.2 ms, so at this size one flush still saves about 15% of the checkpoint, and
     * less above; verifying those 256 pages added 13 ms to open (25 ms with the file out of the page cache) to a
     * 1 GiB store's 24-32 ms.
     */
    public static final int ONE_FLUSH_MAX_PAGES = 256;

    private final RawMmapFile file;
    private final StoreIo io;
    private final StoreGrowth size;
    private final PageTable table;
    private final byte[] scratch = new byte[StoreLayout.PAGE_SIZE];
    private final UnsafeBuffer scratchBuffer = new UnsafeBuffer(scratch);
    private final long storeId;
    /**
     * The groups in which the two copies may differ; {@code null} until {@link #staleAtOpen} found them, after an open
     * that did not compare the copies.
     */
    private long[] previousDirty;
    private final Supplier<long[]> staleAtOpen;
    private long highWater;
    private boolean cleanToClear;
    private boolean consistent;
    private boolean forgone;

    /**
     * Creates the checkpointer of an open store.
     *
     * @param file          the store file.
     * @param io            the seam every metadata write and flush goes through.
     * @param size          its size: the page count and maxPages each checkpoint records.
     * @param table         the page table, for the CRCs of the pages to commit.
     * @param previousDirty the table pages in which the two metadata copies may differ, ascending; {@code null} if the
     *                      open did not compare the copies (a lazy open after a crash).
     * @param staleAtOpen   then finds those pages: called once, by the first checkpoint or the first caller of
     *                      {@link #staleTablePages()}; else not called.
     * @param highWater     the high-water mark of the durable checkpoint: groups at or above it are all free.
     * @param storeId       the store's identity, kept in every superblock.
     * @param clean         whether the store was opened from a clean close, whose mark the first checkpoint clears.
     * @param fellBack      whether the open fell back from, or rejected, a superblock: close leaves the file as it
     *                      found it (for whoever looks into why) unless a checkpoint ran since.
     */
    public Checkpointer(final RawMmapFile file, final StoreIo io, final StoreGrowth size, final PageTable table,
        final long[] previousDirty, final Supplier<long[]> staleAtOpen, final long highWater, final long storeId,
        final boolean clean, final boolean fellBack)
    {
        this.storeId = storeId;
        this.cleanToClear = clean;
        this.consistent = !fellBack;
        this.file = file;
        this.io = io;
        this.size = size;
        this.table = table;
        this.previousDirty = previousDirty;
        this.staleAtOpen = staleAtOpen;
        this.highWater = highWater;
    }

    /**
     * {@return the metadata pages in which the two copies may differ, ascending}: at open, those in which they do.
     */
    public long[] staleTablePages()
    {
        return previousDirty().clone();
    }

    private long[] previousDirty()
    {
        if (null == previousDirty)
        {
            // After an open that compared nothing: the comparison it left, once, before the first checkpoint needs it.
            previousDirty = staleAtOpen.get();
        }
        return previousDirty;
    }

    /**
     * Writes and flushes checkpoint {@code sequence}; on return it is durable.
     *
     * @param sequence  the new checkpoint's sequence, one above the last durable one.
     * @param pages     the pages to make live, ascending, all WRITTEN.
     * @param frees     the pages to free, ascending, all FREEING.
     * @param roots     the root slots to record.
     * @param livePages the number of live pages after this checkpoint.
     * @param freeCrcs  filled with the CRC32C each page of {@code frees} had, from its entry in the current copy
     *                  before this checkpoint clears it: for the snapshots that still see those pages.
     * @return what was flushed.
     * @throws IOException if a flush fails; the file has failed and the checkpoint is not durable.
     */
    public Checkpoint run(final long sequence, final long[] pages, final long[] frees, final long[] roots,
        final long livePages, final int[] freeCrcs) throws IOException
    {
        final long startNanos = System.nanoTime();
        // Set again only if this checkpoint completes: after a failed one the copies hold what it left (closeClean).
        consistent = false;
        clearClean(sequence - 1);
        final CheckpointTrace trace = CheckpointTrace.begin();
        // Groups at or above the durable high-water mark are all free; a checkpoint that makes a page live there raises
        // the mark and writes every group it adds, whole (from zeros), so no group below the mark holds what a crashed
        // checkpoint left behind, and open need read nothing above it.
        final long newHighWater = Math.max(highWater, 0 == pages.length ? 0 :
            MetadataPageDescriptor.tablePageOf(pages[pages.length - 1]) + 1);
        final long[] raised = range(highWater, newHighWater);
        final long[] dirty = dirtyTablePages(pages, frees, raised);
        final int copy = (int)(sequence & 1);
        final CRC32C digest = new CRC32C();
        int nextPage = 0;
        int nextFree = 0;
        for (final long tablePage : dirty)
        {
            if (tablePage >= highWater)
            {
                Arrays.fill(scratch, (byte)0);
            }
            else
            {
                file.readAt(StoreLayout.metadataOffsetOf(1 - copy, tablePage), scratch);
            }
            while (nextPage < pages.length && MetadataPageDescriptor.tablePageOf(pages[nextPage]) == tablePage)
            {
                final long page = pages[nextPage++];
                MetadataPageDescriptor.putEntry(scratchBuffer, page, MetadataPageDescriptor.FLAG_LIVE,
                    table.writtenCrc(page));
            }
            while (nextFree < frees.length && MetadataPageDescriptor.tablePageOf(frees[nextFree]) == tablePage)
            {
                freeCrcs[nextFree] = MetadataPageDescriptor.entryCrc(scratchBuffer, frees[nextFree]);
                MetadataPageDescriptor.putEntry(scratchBuffer, frees[nextFree++], 0, 0);
            }
            MetadataPageDescriptor.seal(scratchBuffer, tablePage, sequence);
            MetadataPageDescriptor.addToDigest(digest, tablePage, MetadataPageDescriptor.pageCrc(scratchBuffer));
            // The copy is not the one the durable superblock names: it is safe to write in place.
            io.writeAt(file, StoreLayout.metadataOffsetOf(copy, tablePage), scratch);
        }
        trace.metadataWritten();
        // One flush only if open can verify it by the groups its superblock lists.
        final boolean oneFlush = pages.length <= ONE_FLUSH_MAX_PAGES &&
            dirty.length <= SuperblockDescriptor.DIRECTORY_CAPACITY;
        if (!oneFlush)
        {
            // Too large to verify at open: durable before the superblock that names it is written.
            final long from = spanFrom(pages, dirty, copy);
            io.flushRange(file, from, spanTo(pages, dirty, copy) - from);
        }
        Arrays.fill(scratch, (byte)0);
        // Read after the pages were collected: a growth publishes its count before its pages can be written, and
        // made its metadata pages and file size durable before that, so the count covers every page named here.
        final long pageCount = size.pageCount();
        SuperblockDescriptor.encode(scratchBuffer, new Superblock(StoreLayout.PAGE_SIZE, pageCount,
            MetadataPageDescriptor.metadataPagesFor(pageCount), sequence, copy, livePages, roots,
            oneFlush ? SuperblockDescriptor.FLAG_ONE_FLUSH | SuperblockDescriptor.FLAG_DIRECTORY : 0, dirty.length,
            (int)digest.getValue(), pages.length, size.maxPages(), newHighWater, highWater, storeId),
            oneFlush ? SuperblockDescriptor.directoryBytes(dirty) : null);
        final long superblockOffset = StoreLayout.superblockOffset(copy);
        io.writeAt(file, superblockOffset, scratch);
        if (oneFlush)
        {
            // One flush for the superblock, the metadata and the pages: it names them all, and open verifies them.
            final long to = Math.max(superblockOffset + StoreLayout.PAGE_SIZE, spanTo(pages, dirty, copy));
            io.flushRange(file, superblockOffset, to - superblockOffset);
        }
        else
        {
            io.flushRange(file, superblockOffset, StoreLayout.PAGE_SIZE);
        }
        // One flush: the trace's flush phase holds the superblock write and the flush, its superblock phase is empty.
        trace.flushed();

        previousDirty = sortedDistinct(concat(changedTablePages(pages, frees), raised), -1);
        highWater = newHighWater;
        consistent = true;
        final long bytes = ((long)pages.length + dirty.length + 1) * StoreLayout.PAGE_SIZE;
        final Checkpoint checkpoint = new Checkpoint(sequence, pages.length, dirty.length, bytes,
            System.nanoTime() - startNanos);
        trace.end(file.path(), checkpoint);
        return checkpoint;
    }

    /**
     * Marks the store closed cleanly, if it is in a state to be: no checkpoint failed or was interrupted in this run,
     * nothing else wrote the file (see {@link #forgoCleanClose}), the open did not fall back (or a checkpoint ran
     * since), and the file's superblocks are the durable checkpoint's. Copies the current copy's pages of the groups
     * in which the copies may differ into the other copy, byte for byte (same sequence and CRC32C), and flushes them;
     * then writes the durable superblock again, with {@link SuperblockDescriptor#FLAG_CLEAN} and without
     * {@link SuperblockDescriptor#FLAG_ONE_FLUSH} (close made everything durable), into the spare slot, and flushes
     * it. A crash at any point leaves the durable checkpoint intact: the other copy only gains pages equal to the
     * current copy's, and the spare slot held the previous checkpoint, which the current one no longer needs once
     * durable. Writes nothing on a read-only file, nor if the mark is still on disk from the open (no checkpoint
     * since).
     *
     * @param durable the sequence of the durable checkpoint.
     * @return whether the store is marked clean.
     * @throws IOException if a flush fails; the mark was not written, or may not be durable.
     */
    public boolean closeClean(final long durable) throws IOException
    {
        if (!consistent || forgone || file.isReadOnly() || null == previousDirty && !cleanToClear)
        {
            // Also when no checkpoint ran since an open that did not compare the copies: close does not make up for
            // the comparison (its cost grows with the store); the next open is the bounded one after a crash.
            return false;
        }
        if (cleanToClear)
        {
            return true;
        }
        final int copy = (int)(durable & 1);
        final Superblock current = superblockIn(copy);
        final Superblock spare = superblockIn(1 - copy);
        if (null == current || current.sequence() != durable || null != spare && spare.sequence() > durable)
        {
            // Not the file this run checkpointed: refuse to vouch for it.
            return false;
        }
        for (final long tablePage : previousDirty)
        {
            file.readAt(StoreLayout.metadataOffsetOf(copy, tablePage), scratch);
            io.writeAt(file, StoreLayout.metadataOffsetOf(1 - copy, tablePage), scratch);
        }
        if (0 != previousDirty.length)
        {
            // Equal copies durable before the superblock that says so.
            final long from = StoreLayout.metadataOffsetOf(1 - copy, previousDirty[0]);
            io.flushRange(file, from, StoreLayout.metadataOffsetOf(1 - copy, previousDirty[previousDirty.length - 1]) +
                StoreLayout.PAGE_SIZE - from);
        }
        previousDirty = new long[0];
        Arrays.fill(scratch, (byte)0);
        // With the map of the groups that may hold a free page, which spares the next lazy open's allocator loading the
        // full ones.
        SuperblockDescriptor.encode(scratchBuffer, current.withFlags(
            (current.flags() & SuperblockDescriptor.FLAG_BACKUP) | SuperblockDescriptor.FLAG_CLEAN),
            table.freeMap(highWater, SuperblockDescriptor.freeMapSpan(highWater), SuperblockDescriptor.FREE_MAP_BYTES));
        final long offset = StoreLayout.superblockOffset(1 - copy);
        io.writeAt(file, offset, scratch);
        io.flushRange(file, offset, StoreLayout.PAGE_SIZE);
        return true;
    }

    /**
     * Gives up the clean close: something other than this checkpointer wrote the file's metadata (an incremental
     * backup into it), so the copies may differ in ways it does not know.
     */
    public void forgoCleanClose()
    {
        forgone = true;
    }

    /**
     * Clears a clean close's mark, durably, before the first metadata write of the run: rewrites the spare slot's
     * copy of the durable superblock without {@link SuperblockDescriptor#FLAG_CLEAN}, and flushes it.
     */
    private void clearClean(final long durable) throws IOException
    {
        if (!cleanToClear)
        {
            return;
        }
        final long offset = StoreLayout.superblockOffset(1 - (int)(durable & 1));
        file.readAt(offset, scratch);
        final Superblock marked = SuperblockDescriptor.decode(scratchBuffer);
        Arrays.fill(scratch, (byte)0);
        SuperblockDescriptor.encode(scratchBuffer, marked.withFlags(marked.flags() & ~SuperblockDescriptor.FLAG_CLEAN));
        io.writeAt(file, offset, scratch);
        io.flushRange(file, offset, StoreLayout.PAGE_SIZE);
        cleanToClear = false;
    }

    /**
     * {@return the superblock in {@code slot} if it passes its identity and CRC32C checks, else {@code null}}
     */
    private Superblock superblockIn(final int slot)
    {
        file.readAt(StoreLayout.superblockOffset(slot), scratch);
        try
        {
            SuperblockDescriptor.checkIdentity(scratchBuffer, file.path());
        }
        catch (final IncompatibleStoreException ex)
        {
            return null;
        }
        return SuperblockDescriptor.isCrcValid(scratchBuffer) ? SuperblockDescriptor.decode(scratchBuffer) : null;
    }

    /**
     * {@return the first byte of the span holding the pages and the written metadata; the flush of a span costs only
     * its dirty pages}
     */
    private long spanFrom(final long[] pages, final long[] dirty, final int copy)
    {
        long from = Long.MAX_VALUE;
        if (0 != pages.length)
        {
            from = StoreLayout.dataOffsetOf(pages[0]);
        }
        if (0 != dirty.length)
        {
            from = Math.min(from, StoreLayout.metadataOffsetOf(copy, dirty[0]));
        }
        return from;
    }

    private long spanTo(final long[] pages, final long[] dirty, final int copy)
    {
        long to = 0;
        if (0 != pages.length)
        {
            // pages is ascending.
            to = StoreLayout.dataOffsetOf(pages[pages.length - 1]) + StoreLayout.PAGE_SIZE;
        }
        if (0 != dirty.length)
        {
            to = Math.max(to, StoreLayout.metadataOffsetOf(copy, dirty[dirty.length - 1]) + StoreLayout.PAGE_SIZE);
        }
        return to;
    }

    private long[] dirtyTablePages(final long[] pages, final long[] frees, final long[] raised)
    {
        return sortedDistinct(concat(concat(changedTablePages(pages, frees), previousDirty()), raised), -1);
    }

    private static long[] concat(final long[] a, final long[] b)
    {
        final long[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static long[] range(final long from, final long to)
    {
        final long[] range = new long[(int)Math.max(0, to - from)];
        for (int i = 0; i < range.length; i++)
        {
            range[i] = from + i;
        }
        return range;
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

    private static long[] sortedDistinct(final long[] values, final int valueCount)
    {
        final int length = valueCount < 0 ? values.length : valueCount;
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

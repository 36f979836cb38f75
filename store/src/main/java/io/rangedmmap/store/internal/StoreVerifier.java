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

import io.rangedmmap.mmap.MappingFaultException;
import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.VerifyReport;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import io.rangedmmap.store.IncompatibleStoreException;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * Checks a whole open store: every live page against its CRC32C, the current superblock, and every page of the
 * current metadata table against itself and the in-memory state; then the redundancy: the spare superblock (valid,
 * the previous checkpoint, same geometry) and every page of the spare metadata copy (its own CRC32C and index). Both
 * superblock pages must be zero past their encoded bytes, which their CRC32C does not cover.
 */
public final class StoreVerifier
{
    /**
     * How many page ids are scanned between two progress reports.
     */
    public static final int PROGRESS_STEP = 4096;

    private StoreVerifier()
    {
    }

    /**
     * Verifies an open store for {@code PageStore.verify}: while no checkpoint runs, with the progress listener run as
     * one of the store's callbacks (so it cannot close the store), and a mapping fault failing the store.
     *
     * @param checkpoints the store's checkpoints, which wait meanwhile.
     * @param lifecycle   the store's lifecycle.
     * @param callbacks   the store's callback guard.
     * @param file        the store file.
     * @param growth      the store's size.
     * @param table       the page table.
     * @param progress    told how many page ids have been scanned.
     * @return the findings.
     * @throws IllegalStateException if the store is closed.
     * @throws io.rangedmmap.store.StoreFailedException if the store has failed, or the mapping faults (which fails
     *                                                  it).
     */
    public static VerifyReport verifyWhileIdle(final CheckpointCoordinator checkpoints, final Lifecycle lifecycle,
        final CallbackGuard callbacks, final RawMmapFile file, final StoreGrowth growth, final PageTable table,
        final LongConsumer progress)
    {
        return checkpoints.whileIdle(() ->
        {
            lifecycle.checkOpen();
            try
            {
                return verify(file, new StoreLayout(growth.pageCount()), table, checkpoints.lastCheckpoint(),
                    checkpoints.livePages(), checkpoints.staleTablePages(), scanned ->
                    {
                        final int[] depth = callbacks.enter();
                        try
                        {
                            progress.accept(scanned);
                        }
                        finally
                        {
                            CallbackGuard.exit(depth);
                        }
                    });
            }
            catch (final MappingFaultException ex)
            {
                throw lifecycle.fail(ex);
            }
        });
    }

    /**
     * Verifies a store; the caller holds the checkpoint lock, so the durable state does not change meanwhile.
     *
     * @param file           the store file.
     * @param layout         its layout.
     * @param table          the page table.
     * @param lastCheckpoint the sequence of the last durable checkpoint.
     * @param livePages      the number of live pages at that checkpoint.
     * @param stale          the groups in which the spare copy may differ from the current one (the next
     *                       checkpoint rewrites them there), ascending; in every other group below the high-water
     *                       mark the two must hold the same entries, or the next checkpoint would make the spare's
     *                       current (after a clean close open reads only the current copy, and no longer finds them).
     * @param progress       told how many page ids have been scanned, every {@code PROGRESS_STEP} and at the end.
     * @return the findings.
     */
    public static VerifyReport verify(final RawMmapFile file, final StoreLayout layout, final PageTable table,
        final long lastCheckpoint, final long livePages, final long[] stale, final LongConsumer progress)
    {
        final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        final UnsafeBuffer buffer = new UnsafeBuffer(page);
        final CRC32C crc = new CRC32C();
        final List<Long> corrupt = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        long checked = 0;
        // The caller holds the checkpoint lock: the current copy is the last checkpoint's.
        final LiveCrcs liveCrcs = new LiveCrcs(file, lastCheckpoint);
        final long pages = table.size();
        for (long pageId = 0; pageId < pages; pageId++)
        {
            final int state = PageTable.stateOf(table.stateAcquire(pageId));
            if (PageTable.LIVE == state || PageTable.FREEING == state)
            {
                file.readAt(StoreLayout.dataOffsetOf(pageId), page);
                if (Crc.of(crc, page) != liveCrcs.crc(pageId))
                {
                    corrupt.add(pageId);
                }
                checked++;
            }
            if (0 == (pageId + 1) % PROGRESS_STEP)
            {
                progress.accept(pageId + 1);
            }
        }
        progress.accept(pages);
        if (checked != livePages)
        {
            problems.add("found " + checked + " live pages, but the last checkpoint recorded livePages=" + livePages);
        }
        final int copy = (int)(lastCheckpoint & 1);
        final List<String> redundancy = new ArrayList<>();
        final Superblock current = checkSuperblock(file, buffer, page, copy, problems);
        if (null != current && (current.sequence() != lastCheckpoint || current.livePages() != livePages))
        {
            problems.add("superblock has sequence=" + current.sequence() + ", livePages=" +
                current.livePages() + "; expected sequence=" + lastCheckpoint + ", livePages=" + livePages);
        }
        final Superblock spare = checkSuperblock(file, buffer, page, 1 - copy, redundancy);
        final long spareSequence = Math.max(0, lastCheckpoint - 1);
        // A backup's checkpoint follows whichever older one the backup held: the spare need only be older. The spare
        // may be smaller: the checkpoint before a growth recorded the size before it.
        final boolean backup = null != current && 0 != (current.flags() & SuperblockDescriptor.FLAG_BACKUP);
        // After a clean close the spare holds the same checkpoint (see SuperblockDescriptor.FLAG_CLEAN), until the next
        // checkpoint overwrites it.
        final boolean sameCheckpoint = null != spare && null != current && current.sameCheckpointAs(spare);
        final boolean spareSequenceWrong = !sameCheckpoint && (backup ? spare != null &&
            spare.sequence() > spareSequence : spare != null && spare.sequence() != spareSequence);
        if (null != spare && (spareSequenceWrong || spare.pageCount() > layout.pageCount() ||
            spare.metadataPages() != MetadataPageDescriptor.metadataPagesFor(spare.pageCount())))
        {
            redundancy.add("spare superblock slot " + (1 - copy) + " has sequence=" + spare.sequence() +
                ", pageCount=" + spare.pageCount() + ", metadataPages=" + spare.metadataPages() + "; expected " +
                "sequence=" + spareSequence + ", pageCount=" + layout.pageCount() + ", metadataPages=" +
                layout.metadataPages());
        }
        // Groups at or above the current superblock's high-water mark hold no live entry and are never read (a crashed
        // checkpoint may have left pages there, which the checkpoint that raises the mark rewrites whole).
        final long groups = null == current ? layout.metadataPages() : Math.min(current.highWater(),
            layout.metadataPages());
        final BitSet damaged = new BitSet();
        for (long tablePage = 0; tablePage < groups; tablePage++)
        {
            file.readAt(layout.metadataOffset(copy, tablePage), page);
            final String problem = MetadataPageDescriptor.check(buffer, tablePage, lastCheckpoint);
            if (null != problem)
            {
                problems.add(problem);
                damaged.set((int)tablePage);
                continue;
            }
            checkEntries(buffer, tablePage, table, problems);
        }
        final byte[] currentPage = new byte[StoreLayout.PAGE_SIZE];
        for (long tablePage = 0; tablePage < groups; tablePage++)
        {
            file.readAt(layout.metadataOffset(1 - copy, tablePage), page);
            // A checkpoint interrupted by a crash may have left whole pages of the next sequence here: not damage.
            final String problem = MetadataPageDescriptor.check(buffer, tablePage, lastCheckpoint + 1);
            if (null != problem)
            {
                redundancy.add("spare metadata copy " + (1 - copy) + ": " + problem);
                continue;
            }
            // Compared only with a current page that passed its check: a damaged one is reported above, once.
            if (Arrays.binarySearch(stale, tablePage) < 0 && !damaged.get((int)tablePage))
            {
                file.readAt(layout.metadataOffset(copy, tablePage), currentPage);
                if (!Arrays.equals(page, MetadataPageDescriptor.HEADER_LENGTH, StoreLayout.PAGE_SIZE, currentPage,
                    MetadataPageDescriptor.HEADER_LENGTH, StoreLayout.PAGE_SIZE))
                {
                    problems.add("spare metadata copy " + (1 - copy) + ": table page " + tablePage + " differs from " +
                        "the current copy's, but no checkpoint since open wrote it there; the next checkpoint would " +
                        "make it current");
                }
            }
        }
        return new VerifyReport(checked, corrupt, 2 * layout.metadataPages() + StoreLayout.SUPERBLOCK_SLOTS, problems,
            redundancy);
    }

    /**
     * Checks one superblock slot's identity, CRC32C and zero tail, adding what is wrong to {@code problems}.
     *
     * @return the decoded superblock if its identity and CRC32C are valid, else {@code null}.
     */
    private static Superblock checkSuperblock(final RawMmapFile file, final UnsafeBuffer buffer, final byte[] page,
        final int slot, final List<String> problems)
    {
        file.readAt(StoreLayout.superblockOffset(slot), page);
        final String name = "superblock slot " + slot;
        for (int i = SuperblockDescriptor.LENGTH; i < page.length; i++)
        {
            if (0 != page[i])
            {
                problems.add(name + " has byte " + i + "=0x" + Integer.toHexString(page[i] & 0xFF) + " past its " +
                    "encoded " + SuperblockDescriptor.LENGTH + " bytes, where it must be zero");
                break;
            }
        }
        try
        {
            SuperblockDescriptor.checkIdentity(buffer, file.path());
        }
        catch (final IncompatibleStoreException ex)
        {
            problems.add(name + ": " + ex.getMessage());
            return null;
        }
        if (!SuperblockDescriptor.isCrcValid(buffer))
        {
            problems.add(name + " (claiming sequence=" + buffer.getLong(SuperblockDescriptor.SEQUENCE_OFFSET,
                ByteOrder.LITTLE_ENDIAN) + ") fails its CRC32C check");
            return null;
        }
        return SuperblockDescriptor.decode(buffer);
    }

    private static void checkEntries(
        final UnsafeBuffer buffer, final long tablePage, final PageTable table, final List<String> problems)
    {
        final long first = tablePage * MetadataPageDescriptor.ENTRIES_PER_PAGE;
        final long last = Math.min(table.size(), first + MetadataPageDescriptor.ENTRIES_PER_PAGE);
        for (long pageId = first; pageId < last; pageId++)
        {
            final int state = PageTable.stateOf(table.stateAcquire(pageId));
            final boolean live = PageTable.LIVE == state || PageTable.FREEING == state;
            final int flags = MetadataPageDescriptor.entryFlags(buffer, pageId);
            final int crc = MetadataPageDescriptor.entryCrc(buffer, pageId);
            final boolean entryLive = MetadataPageDescriptor.FLAG_LIVE == flags;
            // A live page's CRC32C is this entry's (LiveCrcs): the check of the page's bytes above is the check of it.
            if (live != entryLive || (!live && (0 != flags || 0 != crc)))
            {
                problems.add("metadata entry of page=" + pageId + " has flags=" + flags + ", crc32c=0x" +
                    Integer.toHexString(crc) + " but the page is " + PageTable.nameOf(state));
            }
        }
    }
}

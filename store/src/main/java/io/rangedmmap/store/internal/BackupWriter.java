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
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes the metadata and superblock of one checkpoint of another store into a backup file whose user pages already
 * hold it: the checkpoint's whole table goes into metadata copy {@code sequence % 2} (only the pages that differ
 * from what that copy holds are written, each sealed with {@code sequence}), then the data and metadata are flushed,
 * then the superblock of slot {@code sequence % 2} naming them is written and flushed. The superblock carries what
 * open checks (the count and digest of the metadata pages carrying its sequence, the user pages newly live against
 * the other copy) computed exactly as {@link Recovery} recomputes them, so the backup opens at {@code sequence}.
 *
 * <p>Planning and applying are separate so that an incremental backup can first save, in its undo journal, the bytes
 * the plan overwrites.
 *
 * <p><b>Thread safety:</b> confined to the thread of one backup.
 */
public final class BackupWriter
{
    private BackupWriter()
    {
    }

    /**
     * The pages live in the checkpoint being backed up, with their CRC32Cs.
     */
    public interface Source
    {
        /**
         * {@return whether the page is live in the checkpoint}
         *
         * @param page the page.
         */
        boolean live(long page);

        /**
         * {@return the CRC32C of a live page}
         *
         * @param page the page.
         */
        int crc(long page);
    }

    /**
     * The metadata pages to write and what the superblock must say of them.
     *
     * @param sequence   the checkpoint.
     * @param tablePages the indexes of the metadata pages to write, ascending.
     * @param contents   their new bytes, sealed.
     * @param digest     the digest of those pages, as open recomputes it.
     * @param newPages   the user pages live in them but not in the other copy, as open counts them.
     * @param livePages  the checkpoint's live pages.
     * @param highWater  the groups the backup's open reads: no group at or above it has a live page, and every
     *                   group below it has its page in the copy of {@code sequence}.
     */
    public record Plan(long sequence, long[] tablePages, List<byte[]> contents, int digest, long newPages,
        long livePages, long highWater)
    {
    }

    /**
     * Plans the metadata of checkpoint {@code sequence} over what the file's copy {@code sequence % 2} holds now, in
     * the given groups only: every other group's page of that copy must already hold the checkpoint's entries.
     *
     * @param file      the backup file.
     * @param layout    its layout, the source's.
     * @param sequence  the checkpoint.
     * @param source    its live pages.
     * @param groups    the groups (metadata page indexes) whose page may differ, ascending; {@code null} for all.
     * @param livePages the checkpoint's live pages, in all groups.
     * @param highWater the high-water mark the superblock will record (see {@link Plan}).
     * @return the plan; nothing is written. A group whose page already holds the entries, sealed by an older
     *         checkpoint, is left out.
     */
    public static Plan plan(final RawMmapFile file, final StoreLayout layout, final long sequence,
        final Source source, final long[] groups, final long livePages, final long highWater)
    {
        final int copy = (int)(sequence & 1);
        final byte[] desired = new byte[StoreLayout.PAGE_SIZE];
        final byte[] onDisk = new byte[StoreLayout.PAGE_SIZE];
        final byte[] other = new byte[StoreLayout.PAGE_SIZE];
        final UnsafeBuffer desiredBuffer = new UnsafeBuffer(desired);
        final UnsafeBuffer onDiskBuffer = new UnsafeBuffer(onDisk);
        final UnsafeBuffer otherBuffer = new UnsafeBuffer(other);
        final CRC32C digest = new CRC32C();
        final List<byte[]> contents = new ArrayList<>();
        long[] tablePages = new long[16];
        long newPages = 0;
        final long count = null == groups ? layout.metadataPages() : groups.length;
        for (long i = 0; i < count; i++)
        {
            final long tablePage = null == groups ? i : groups[(int)i];
            Arrays.fill(desired, (byte)0);
            final long first = tablePage * MetadataPageDescriptor.ENTRIES_PER_PAGE;
            final long end = Math.min(layout.pageCount(), first + MetadataPageDescriptor.ENTRIES_PER_PAGE);
            for (long page = first; page < end; page++)
            {
                if (source.live(page))
                {
                    MetadataPageDescriptor.putEntry(desiredBuffer, page, MetadataPageDescriptor.FLAG_LIVE,
                        source.crc(page));
                }
            }
            file.readAt(layout.metadataOffset(copy, tablePage), onDisk);
            if (null == MetadataPageDescriptor.check(onDiskBuffer, tablePage, sequence) &&
                Arrays.equals(desired, MetadataPageDescriptor.HEADER_LENGTH, StoreLayout.PAGE_SIZE, onDisk,
                MetadataPageDescriptor.HEADER_LENGTH, StoreLayout.PAGE_SIZE))
            {
                continue;
            }
            MetadataPageDescriptor.seal(desiredBuffer, tablePage, sequence);
            MetadataPageDescriptor.addToDigest(digest, tablePage, MetadataPageDescriptor.pageCrc(desiredBuffer));
            file.readAt(layout.metadataOffset(1 - copy, tablePage), other);
            final boolean otherValid = null == MetadataPageDescriptor.check(otherBuffer, tablePage, sequence);
            for (long page = first; page < end; page++)
            {
                // Counted as Recovery counts them: live here and not live in the other copy's page.
                if (MetadataPageDescriptor.FLAG_LIVE == MetadataPageDescriptor.entryFlags(desiredBuffer, page) &&
                    (!otherValid ||
                    MetadataPageDescriptor.FLAG_LIVE != MetadataPageDescriptor.entryFlags(otherBuffer, page)))
                {
                    newPages++;
                }
            }
            if (contents.size() == tablePages.length)
            {
                tablePages = Arrays.copyOf(tablePages, tablePages.length * 2);
            }
            tablePages[contents.size()] = tablePage;
            contents.add(desired.clone());
        }
        return new Plan(sequence, Arrays.copyOf(tablePages, contents.size()), contents, (int)digest.getValue(),
            newPages, livePages, highWater);
    }

    /**
     * {@return the file offsets a plan overwrites: its metadata pages, and the superblock slot}
     *
     * @param layout the backup's layout.
     * @param plan   the plan.
     */
    public static long[] offsets(final StoreLayout layout, final Plan plan)
    {
        final int copy = (int)(plan.sequence() & 1);
        final long[] offsets = new long[plan.tablePages().length + 1];
        for (int i = 0; i < plan.tablePages().length; i++)
        {
            offsets[i] = layout.metadataOffset(copy, plan.tablePages()[i]);
        }
        offsets[plan.tablePages().length] = StoreLayout.superblockOffset(copy);
        return offsets;
    }

    /**
     * Writes a plan's metadata, flushes the file (the user pages written before with it), then writes and flushes
     * the superblock: on return the backup is durable at the plan's checkpoint. The superblock records the layout's
     * page count as the backup's maxPages (a backup grows only when an incremental backup brings it forward), and
     * the plan's high-water mark as its own and as the one before: open then counts the pages newly live against the
     * other copy in every group it reads, as {@link #plan} did.
     *
     * @param file    the backup file.
     * @param io      the seam the writes and flushes go through.
     * @param layout  its layout.
     * @param plan    the plan.
     * @param roots   the checkpoint's roots.
     * @param storeId the source's store id.
     * @throws IOException if a flush fails.
     */
    public static void apply(final RawMmapFile file, final StoreIo io, final StoreLayout layout, final Plan plan,
        final long[] roots, final long storeId) throws IOException
    {
        final int copy = (int)(plan.sequence() & 1);
        for (int i = 0; i < plan.tablePages().length; i++)
        {
            io.writeAt(file, layout.metadataOffset(copy, plan.tablePages()[i]), plan.contents().get(i));
        }
        final long metadataStart = layout.metadataOffset(0, 0);
        // Pages and metadata durable before the superblock that names them: open need not read the pages.
        io.flushRange(file, metadataStart, file.size() - metadataStart);
        final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        SuperblockDescriptor.encode(new UnsafeBuffer(page), new Superblock(StoreLayout.PAGE_SIZE, layout.pageCount(),
            layout.metadataPages(), plan.sequence(), copy, plan.livePages(), roots, SuperblockDescriptor.FLAG_BACKUP,
            plan.tablePages().length, plan.digest(), plan.newPages(), layout.pageCount(), plan.highWater(),
            plan.highWater(), storeId));
        io.writeAt(file, StoreLayout.superblockOffset(copy), page);
        io.flushRange(file, StoreLayout.superblockOffset(copy), StoreLayout.PAGE_SIZE);
    }
}

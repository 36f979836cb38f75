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
import io.rangedmmap.store.internal.PwriteStoreIo;
import io.rangedmmap.store.internal.StoreIo;
import io.rangedmmap.store.internal.UndoJournal;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Grows a backup whose source grew since the backup's checkpoint, in two crash-safe steps before the incremental
 * backup proper. First the superblock of the checkpoint the backup holds is rewritten in place with the source's page
 * count as its maxPages (nothing else changes; the old bytes are saved in the undo journal first, so a crash leaves
 * the old superblock or the new one), so that the held checkpoint accepts a file longer than it needs, as a store that
 * may grow does. Then the backup, opened again and now mapped for that size, grows its file: a crash from here on
 * leaves an unnamed tail, which open accepts and ignores, and which the next attempt reuses. The new groups get their
 * metadata from the incremental backup's checkpoint.
 *
 * <p><b>Thread safety:</b> confined to the thread of one incremental backup, which holds the backup's lock.
 */
final class BackupGrowth
{
    private BackupGrowth()
    {
    }

    /**
     * Lets the checkpoint the backup holds accept a file of {@code pageCount} user pages.
     *
     * @param target    the backup, open.
     * @param held      the checkpoint it holds.
     * @param pageCount the page count it will grow to.
     * @throws IOException if the journal, the write or the flush fails; the backup holds its old checkpoint.
     */
    static void allow(final PageStore target, final long held, final long pageCount) throws IOException
    {
        final RawMmapFile file = target.file();
        final long offset = StoreLayout.superblockOffset((int)(held & 1));
        final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        file.readAt(offset, page);
        final Superblock current = SuperblockDescriptor.decode(new UnsafeBuffer(page));
        if (current.maxPages() >= pageCount)
        {
            // An earlier attempt, interrupted after this step, did it.
            return;
        }
        final Superblock raised = new Superblock(current.pageSize(), current.pageCount(), current.metadataPages(),
            current.sequence(), current.currentCopy(), current.livePages(), current.roots(), current.flags(),
            current.metadataPagesWritten(), current.metadataDigest(), current.newPages(), pageCount,
            current.highWater(), current.highWaterBefore(), current.storeId());
        final byte[] encoded = new byte[StoreLayout.PAGE_SIZE];
        // With the bytes after the fields as they were (a one-flush checkpoint's directory, which open reads to verify
        // it): only maxPages changes.
        SuperblockDescriptor.encode(new UnsafeBuffer(encoded), raised, Arrays.copyOfRange(page,
            SuperblockDescriptor.DIRECTORY_OFFSET, SuperblockDescriptor.DIRECTORY_OFFSET +
            SuperblockDescriptor.FREE_MAP_BYTES));
        final Path journal = UndoJournal.pathOf(target.path());
        UndoJournal.write(journal, held, file, new long[] {offset}, StoreIo.DIRECT);
        final StoreIo io = PwriteStoreIo.INSTANCE;
        io.writeAt(file, offset, encoded);
        io.flushRange(file, offset, StoreLayout.PAGE_SIZE);
        UndoJournal.discard(journal, StoreIo.DIRECT);
    }

    /**
     * Grows the backup's file to hold {@code pageCount} user pages, if an earlier attempt did not, and writes the
     * metadata pages of the groups it adds, empty, in both copies (sequence 0, as a store's own growth does): the
     * incremental backup then writes the new checkpoint's into one copy, and the other is a valid spare. Nothing
     * names those pages yet, so they need no journal; they become durable with the checkpoint.
     *
     * @param target    the backup, open after {@link #allow}, so mapped for {@code pageCount}.
     * @param pageCount the new page count.
     * @throws IOException if the file cannot grow (the disk is full, say); the backup holds its old checkpoint.
     */
    static void extend(final PageStore target, final long pageCount) throws IOException
    {
        final long size = StoreLayout.fileSizeFor(pageCount);
        final RawMmapFile file = target.file();
        if (file.size() < size)
        {
            file.extend(size);
        }
        final StoreIo io = PwriteStoreIo.INSTANCE;
        final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        final UnsafeBuffer buffer = new UnsafeBuffer(page);
        final long groups = MetadataPageDescriptor.metadataPagesFor(pageCount);
        for (long group = MetadataPageDescriptor.metadataPagesFor(target.pageCount()); group < groups; group++)
        {
            Arrays.fill(page, (byte)0);
            MetadataPageDescriptor.seal(buffer, group, 0);
            io.writeAt(file, StoreLayout.metadataOffsetOf(0, group), page);
            io.writeAt(file, StoreLayout.metadataOffsetOf(1, group), page);
        }
    }
}

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
import io.rangedmmap.store.VerifyReport;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import io.rangedmmap.store.IncompatibleStoreException;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * Checks a whole open store: every live page against its CRC32C, the current superblock, and every page of the
 * current metadata table against itself and the in-memory state.
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
     * Verifies a store; the caller holds the checkpoint lock, so the durable state does not change meanwhile.
     *
     * @param file           the store file.
     * @param layout         its layout.
     * @param table          the page table.
     * @param lastCheckpoint the sequence of the last durable checkpoint.
     * @param livePages      the number of live pages at that checkpoint.
     * @param progress       told how many page ids have been scanned, every {@code PROGRESS_STEP} and at the end.
     * @return the findings.
     */
    public static VerifyReport verify(final RawMmapFile file, final StoreLayout layout, final PageTable table,
        final long lastCheckpoint, final long livePages, final LongConsumer progress)
    {
        final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        final UnsafeBuffer buffer = new UnsafeBuffer(page);
        final CRC32C crc = new CRC32C();
        final List<Long> corrupt = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        long checked = 0;
        for (int pageId = 0; pageId < table.size(); pageId++)
        {
            final int state = PageTable.stateOf(table.stateAcquire(pageId));
            if (PageTable.LIVE == state || PageTable.FREEING == state)
            {
                file.readAt(layout.dataOffset(pageId), page);
                if (Crc.of(crc, page) != table.crc(pageId))
                {
                    corrupt.add((long)pageId);
                }
                checked++;
            }
            if (0 == (pageId + 1) % PROGRESS_STEP)
            {
                progress.accept(pageId + 1);
            }
        }
        progress.accept(table.size());
        if (checked != livePages)
        {
            problems.add("found " + checked + " live pages, but the last checkpoint recorded livePages=" + livePages);
        }
        checkSuperblock(file, buffer, page, lastCheckpoint, livePages, problems);
        final int copy = (int)(lastCheckpoint & 1);
        for (long tablePage = 0; tablePage < layout.metadataPages(); tablePage++)
        {
            file.readAt(layout.metadataOffset(copy, tablePage), page);
            final String problem = MetadataPageDescriptor.check(buffer, tablePage, lastCheckpoint);
            if (null != problem)
            {
                problems.add(problem);
                continue;
            }
            checkEntries(buffer, tablePage, table, problems);
        }
        return new VerifyReport(checked, corrupt, layout.metadataPages() + 1, problems);
    }

    private static void checkSuperblock(final RawMmapFile file, final UnsafeBuffer buffer, final byte[] page,
        final long lastCheckpoint, final long livePages, final List<String> problems)
    {
        file.readAt(StoreLayout.superblockOffset((int)(lastCheckpoint & 1)), page);
        try
        {
            SuperblockDescriptor.checkIdentity(buffer, file.path());
        }
        catch (final IncompatibleStoreException ex)
        {
            problems.add("superblock: " + ex.getMessage());
            return;
        }
        if (!SuperblockDescriptor.isCrcValid(buffer))
        {
            problems.add("superblock of checkpoint=" + lastCheckpoint + " fails its CRC32C check");
            return;
        }
        final Superblock superblock = SuperblockDescriptor.decode(buffer);
        if (superblock.sequence() != lastCheckpoint || superblock.livePages() != livePages)
        {
            problems.add("superblock has sequence=" + superblock.sequence() + ", livePages=" +
                superblock.livePages() + "; expected sequence=" + lastCheckpoint + ", livePages=" + livePages);
        }
    }

    private static void checkEntries(
        final UnsafeBuffer buffer, final long tablePage, final PageTable table, final List<String> problems)
    {
        final long first = tablePage * MetadataPageDescriptor.ENTRIES_PER_PAGE;
        final long last = Math.min(table.size(), first + MetadataPageDescriptor.ENTRIES_PER_PAGE);
        for (long pageId = first; pageId < last; pageId++)
        {
            final int state = PageTable.stateOf(table.stateAcquire((int)pageId));
            final boolean live = PageTable.LIVE == state || PageTable.FREEING == state;
            final int flags = MetadataPageDescriptor.entryFlags(buffer, pageId);
            final int crc = MetadataPageDescriptor.entryCrc(buffer, pageId);
            final boolean entryLive = MetadataPageDescriptor.FLAG_LIVE == flags;
            if (live != entryLive || (live && crc != table.crc((int)pageId)) || (!live && (0 != flags || 0 != crc)))
            {
                problems.add("metadata entry of page=" + pageId + " has flags=" + flags + ", crc32c=0x" +
                    Integer.toHexString(crc) + " but the page is " + PageTable.nameOf(state));
            }
        }
    }
}

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
import io.rangedmmap.store.IncompatibleStoreException;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import io.rangedmmap.store.internal.jfr.SuperblockFallbackEvent;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a store file at open, read-only, and rebuilds the in-memory state of its last durable checkpoint: picks
 * the newest valid superblock, checks the geometry against the file, checks every page of the current metadata copy
 * and loads it into a {@link PageTable}, and finds the table pages where the other copy differs (those the next
 * checkpoint must rewrite). It reads no user page: {@code verify} checks those.
 *
 * @param superblock      the superblock of the last durable checkpoint.
 * @param layout          the file's layout.
 * @param table           every page LIVE with its CRC, or FREE.
 * @param staleTablePages the table pages in which the other copy differs from the current one, ascending.
 * @param free            the free runs, ascending.
 */
public record Recovery(
    Superblock superblock, StoreLayout layout, PageTable table, long[] staleTablePages, Runs free)
{
    /**
     * Recovers the last durable checkpoint of a store file; writes nothing.
     *
     * @param file the mapped store file, locked.
     * @param path the store, for messages.
     * @return the recovered state.
     * @throws IncompatibleStoreException if the file is not a store, is of a newer format, has another page size,
     *                                    a size its superblock does not imply, or damaged metadata.
     */
    public static Recovery recover(final RawMmapFile file, final Path path)
    {
        final Superblock superblock = newestSuperblock(file, path);
        SuperblockDescriptor.checkGeometry(superblock, file.size(), path);
        final StoreLayout layout = new StoreLayout(superblock.pageCount());
        final PageTable table = new PageTable((int)layout.pageCount());
        final byte[] current = new byte[StoreLayout.PAGE_SIZE];
        final byte[] other = new byte[StoreLayout.PAGE_SIZE];
        final UnsafeBuffer currentBuffer = new UnsafeBuffer(current);
        final UnsafeBuffer otherBuffer = new UnsafeBuffer(other);
        final int copy = superblock.currentCopy();
        long[] stale = new long[16];
        int staleCount = 0;
        long live = 0;
        for (long tablePage = 0; tablePage < layout.metadataPages(); tablePage++)
        {
            file.readAt(layout.metadataOffset(copy, tablePage), current);
            MetadataPageDescriptor.checkPage(currentBuffer, tablePage, superblock.sequence(), path);
            live += load(currentBuffer, tablePage, table, path);
            file.readAt(layout.metadataOffset(1 - copy, tablePage), other);
            if (null != MetadataPageDescriptor.check(otherBuffer, tablePage, superblock.sequence()) ||
                !Arrays.equals(current, MetadataPageDescriptor.HEADER_LENGTH, StoreLayout.PAGE_SIZE,
                other, MetadataPageDescriptor.HEADER_LENGTH, StoreLayout.PAGE_SIZE))
            {
                if (staleCount == stale.length)
                {
                    stale = Arrays.copyOf(stale, staleCount * 2);
                }
                stale[staleCount++] = tablePage;
            }
        }
        if (live != superblock.livePages())
        {
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                path + ": the metadata table has " + live + " live pages but the superblock says livePages=" +
                superblock.livePages());
        }
        final Runs free = new Runs();
        for (int page = 0; page < table.size(); page++)
        {
            if (PageTable.FREE == table.statePlain(page))
            {
                free.add(page, page + 1);
            }
        }
        return new Recovery(superblock, layout, table, Arrays.copyOf(stale, staleCount), free);
    }

    private static long load(final UnsafeBuffer page, final long tablePage, final PageTable table, final Path path)
    {
        long live = 0;
        final long first = tablePage * MetadataPageDescriptor.ENTRIES_PER_PAGE;
        for (long pageId = first; pageId < first + MetadataPageDescriptor.ENTRIES_PER_PAGE; pageId++)
        {
            final int flags = MetadataPageDescriptor.entryFlags(page, pageId);
            final int crc = MetadataPageDescriptor.entryCrc(page, pageId);
            if (MetadataPageDescriptor.FLAG_LIVE == flags && pageId < table.size())
            {
                table.setCrc((int)pageId, crc);
                table.setStateRelease((int)pageId, PageTable.LIVE);
                live++;
            }
            else if (0 != flags || 0 != crc)
            {
                throw new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                    path + ": metadata entry of page=" + pageId + " has flags=" + flags + ", crc32c=0x" +
                    Integer.toHexString(crc) + "; expected a live entry of a page below pageCount=" + table.size() +
                    " or a zero entry");
            }
        }
        return live;
    }

    private static Superblock newestSuperblock(final RawMmapFile file, final Path path)
    {
        final byte[] bytes = new byte[StoreLayout.PAGE_SIZE];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        Superblock newest = null;
        IncompatibleStoreException firstProblem = null;
        int unrecognised = 0;
        int rejected = -1;
        for (int slot = 0; slot < StoreLayout.SUPERBLOCK_SLOTS; slot++)
        {
            file.readAt(StoreLayout.superblockOffset(slot), bytes);
            try
            {
                SuperblockDescriptor.checkIdentity(buffer, path);
            }
            catch (final IncompatibleStoreException ex)
            {
                if (IncompatibleStoreException.Problem.NEWER_FORMAT == ex.problem())
                {
                    throw ex;
                }
                firstProblem = null == firstProblem ? ex : firstProblem;
                unrecognised++;
                rejected = slot;
                continue;
            }
            if (!SuperblockDescriptor.isCrcValid(buffer))
            {
                rejected = slot;
                continue;
            }
            final Superblock superblock = SuperblockDescriptor.decode(buffer);
            if (null == newest || superblock.sequence() > newest.sequence())
            {
                newest = superblock;
            }
        }
        if (null == newest)
        {
            if (StoreLayout.SUPERBLOCK_SLOTS == unrecognised)
            {
                throw firstProblem;
            }
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                path + ": neither superblock is valid (both fail their CRC32C check)");
        }
        if (rejected >= 0)
        {
            SuperblockFallbackEvent.emit(path.toString(), rejected, "invalid superblock (identity or CRC32C)",
                newest.sequence());
        }
        return newest;
    }
}

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
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.StoreOptions;
import io.rangedmmap.store.SuperblockFallback;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.SuperblockProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The steps of {@link PageStore}'s create and open before and around recovery: the create's size check, the file's
 * first check and its mapping (sized for growth), the roll-back of an interrupted incremental backup, and the
 * warning of a superblock fallback. {@link PageStore} strings them together with {@link Recovery}.
 *
 * <p><b>Thread safety:</b> static, stateless; each call works on the file it is given.
 */
public final class StoreOpening
{
    // The store's own category: these are its open's messages.
    private static final Logger LOG = LoggerFactory.getLogger(PageStore.class);

    private StoreOpening()
    {
    }

    /**
     * {@return the maxPages of a store to create: the option's, or {@code pageCount} when unset}
     *
     * @param pageCount the checked page count.
     * @param options   the create's options.
     * @throws IllegalArgumentException if the option is below {@code pageCount}.
     */
    public static long maxPagesToCreate(final long pageCount, final StoreOptions options)
    {
        final long maxPages = StoreOptions.UNSET == options.maxPages() ? pageCount : options.maxPages();
        if (maxPages < pageCount)
        {
            throw new IllegalArgumentException("maxPages=" + maxPages + " must be at least pageCount=" + pageCount +
                " given to create");
        }
        return maxPages;
    }

    /**
     * Refuses a file too small to hold the two superblocks, then maps it (see
     * {@link #mapFile(Path, StoreOptions, boolean, long)}).
     *
     * @param absolute the store file.
     * @param options  the open's options.
     * @param readOnly whether to map it read-only.
     * @return the mapped, locked file.
     * @throws IncompatibleStoreException if the file is smaller than two superblocks.
     * @throws IOException                on an I/O error, or if the file is locked.
     */
    public static RawMmapFile map(final Path absolute, final StoreOptions options, final boolean readOnly)
        throws IOException
    {
        final long size = Files.size(absolute);
        if (size < (long)StoreLayout.SUPERBLOCK_SLOTS * PageStore.PAGE_SIZE)
        {
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.NOT_A_STORE,
                absolute + " is not a page store: size=" + size + " is below the two superblocks' " +
                StoreLayout.SUPERBLOCK_SLOTS * PageStore.PAGE_SIZE + " bytes");
        }
        return mapFile(absolute, options, readOnly, size);
    }

    /**
     * Maps the store file: read-only whole; for writing, whole if it keeps its size, or for its maxPages if it may
     * grow (the file then grows under one mapping, which never moves). The maxPages is read from the superblocks
     * before the file is locked, only to size the mapping; recovery validates them after.
     */
    private static RawMmapFile mapFile(final Path absolute, final StoreOptions options, final boolean readOnly,
        final long size) throws IOException
    {
        if (readOnly)
        {
            return RawMmapFile.openReadOnly(absolute);
        }
        long maxPages = options.maxPages();
        if (StoreOptions.UNSET == maxPages)
        {
            try
            {
                maxPages = SuperblockProbe.largestMaxPages(absolute);
            }
            catch (final IOException ex)
            {
                // Not readable as a file (a directory, say): the open below refuses it with its own error.
                maxPages = 0;
            }
        }
        final long reserve = StoreLayout.fileSizeFor(Math.max(1, maxPages));
        final RawMmapFile file = reserve > size ? RawMmapFile.openGrowable(absolute, reserve) :
            RawMmapFile.open(absolute);
        try
        {
            PageCacheAdvice.apply(file, 0, file.size());
        }
        catch (final IOException | RuntimeException ex)
        {
            file.close();
            throw ex;
        }
        return file;
    }

    /**
     * Puts a backup back at its old checkpoint if an incremental backup into it was interrupted (see
     * {@link UndoJournal}); a read-only open cannot, and refuses the file until a writable open has.
     *
     * @param file     the mapped store file.
     * @param path     its path.
     * @param io       the seam the roll-back's writes and flushes go through.
     * @param readOnly whether the store is being opened read-only.
     * @throws IncompatibleStoreException if a read-only open finds an interrupted backup.
     * @throws IOException                if the roll-back fails.
     */
    public static void rollBackInterruptedBackup(final RawMmapFile file, final Path path, final StoreIo io,
        final boolean readOnly) throws IOException
    {
        if (readOnly)
        {
            if (Files.exists(UndoJournal.pathOf(path)))
            {
                throw new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA, path +
                    " is a backup whose incremental backup was interrupted (" + UndoJournal.pathOf(path) + " is " +
                    "there); open it once with PageStore.open, which rolls it back to its previous checkpoint");
            }
            return;
        }
        if (UndoJournal.rollBack(file, io))
        {
            LOG.warn("backup {}: an interrupted incremental backup was rolled back to the checkpoint it held before",
                path);
        }
    }

    /**
     * Logs, at WARN, that the open fell back from one superblock to the other.
     *
     * @param path     the store.
     * @param fallback the fallback, or {@code null} if there was none.
     */
    public static void warnOfFallback(final Path path, final SuperblockFallback fallback)
    {
        if (null != fallback)
        {
            LOG.warn("page store {} fell back: opened at checkpoint={} from superblock slot {}, because slot {} " +
                "(claiming checkpoint={}) was rejected: {}. If that checkpoint was acknowledged it is lost (a " +
                "superblock torn by a crash looks the same); the store has one valid superblock until its next " +
                "checkpoint", path, fallback.usedSequence(), fallback.usedSlot(), fallback.rejectedSlot(),
                fallback.rejectedSequence(), fallback.reason());
        }
    }
}

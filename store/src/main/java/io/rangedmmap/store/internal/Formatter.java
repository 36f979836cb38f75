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

import io.rangedmmap.mmap.CreateOption;
import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.mmap.internal.LockedFile;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Creates a new store file atomically: the file is built and made durable under a unique temporary name in the same
 * directory, locked from its creation, then linked to its final name only if that name is still absent, so a crash
 * leaves either no store or a whole one (and at most an orphaned temporary file, which the next create of that name
 * removes), and two creates racing on one name give one store and one {@link FileAlreadyExistsException}. The file
 * handling itself is the mmap module's {@link LockedFile}.
 */
public final class Formatter
{
    /**
     * What the temporary name of a store being created adds to its final name (followed by a random part).
     */
    public static final String TEMPORARY_SUFFIX = LockedFile.TEMPORARY_MARK;

    private Formatter()
    {
    }

    /**
     * Creates an empty store of {@code pageCount} user pages at {@code path}, durable when this returns.
     *
     * @param path      the store to create.
     * @param pageCount the number of user pages.
     * @param io        the seam the metadata writes, the flush and the directory fsync go through.
     * @throws FileAlreadyExistsException if {@code path} exists, or was created by someone else meanwhile; it is left
     *                                    as it was.
     * @throws IOException                on any other I/O error; nothing this call created is left behind.
     */
    public static void format(final Path path, final long pageCount, final StoreIo io) throws IOException
    {
        format(path, pageCount, pageCount, io);
    }

    /**
     * Creates an empty store of {@code pageCount} user pages that may grow to {@code maxPages}, durable when this
     * returns. See {@link #format(Path, long, StoreIo)}.
     *
     * @param path      the store to create.
     * @param pageCount the number of user pages.
     * @param maxPages  the largest number of user pages, at least {@code pageCount}.
     * @param io        the seam the metadata writes, the flush and the directory fsync go through.
     * @throws FileAlreadyExistsException if {@code path} exists, or was created by someone else meanwhile.
     * @throws IOException                on any other I/O error; nothing this call created is left behind.
     */
    public static void format(final Path path, final long pageCount, final long maxPages, final StoreIo io)
        throws IOException
    {
        format(path, pageCount, maxPages, io, false);
    }

    /**
     * Creates an empty store like {@link #format(Path, long, long, StoreIo)}, optionally <em>sparse</em>: its user
     * pages' blocks are not reserved (a write into them can then fault on a full disk and fail the store). Not API:
     * for benchmarks that need a large store on a small disk.
     *
     * @param path      the store to create.
     * @param pageCount the number of user pages.
     * @param maxPages  the largest number of user pages, at least {@code pageCount}.
     * @param io        the seam the metadata writes, the flush and the directory fsync go through.
     * @param sparse    whether to leave the blocks unreserved.
     * @throws FileAlreadyExistsException if {@code path} exists, or was created by someone else meanwhile.
     * @throws IOException                on any other I/O error; nothing this call created is left behind.
     */
    public static void format(final Path path, final long pageCount, final long maxPages, final StoreIo io,
        final boolean sparse) throws IOException
    {
        format(path, pageCount, maxPages, io, sparse, newStoreId(), (file, layout) ->
        {
        });
    }

    /**
     * What a store file is filled with before it is flushed and published: nothing for a new store, a checkpoint's
     * pages and metadata for a backup.
     */
    @FunctionalInterface
    public interface Contents
    {
        /**
         * Writes into the file under its temporary name, after the empty store's metadata.
         *
         * @param file   the file, mapped and locked.
         * @param layout its layout.
         * @throws IOException on an I/O error; the file is removed.
         */
        void writeTo(RawMmapFile file, StoreLayout layout) throws IOException;
    }

    /**
     * {@return a random store id, never 0 (the id of a file made before stores had one)}
     */
    public static long newStoreId()
    {
        long id = 0;
        while (0 == id)
        {
            id = new SecureRandom().nextLong();
        }
        return id;
    }

    /**
     * Creates a store file of {@code pageCount} user pages at {@code path} holding what {@code contents} writes, over
     * an empty store with identity {@code storeId}: durable when this returns, or no file under {@code path}.
     *
     * @param path      the store to create.
     * @param pageCount the number of user pages.
     * @param maxPages  the largest number of user pages, at least {@code pageCount}.
     * @param io        the seam the metadata writes, the flush and the directory fsync go through.
     * @param sparse    whether to leave the user pages' blocks unreserved.
     * @param storeId   the store id its superblocks carry.
     * @param contents  writes the store's contents before the flush.
     * @throws FileAlreadyExistsException if {@code path} exists, or was created by someone else meanwhile; it is left
     *                                    as it was.
     * @throws IOException                on any other I/O error, or one of {@code contents}; nothing this call
     *                                    created is left behind.
     */
    public static void format(final Path path, final long pageCount, final long maxPages, final StoreIo io,
        final boolean sparse, final long storeId, final Contents contents) throws IOException
    {
        final StoreLayout layout = new StoreLayout(pageCount);
        final Path target = path.toAbsolutePath();
        if (Files.exists(target))
        {
            throw alreadyExists(target);
        }
        LockedFile.removeOrphans(target);
        // RawMmapFile.create builds and locks this unique name itself (under a name of its own, then linked), and the
        // lock is held until the store is published below: a concurrent create's cleanup cannot take it for an orphan.
        final Path temporary = target.resolveSibling(target.getFileName() + TEMPORARY_SUFFIX +
            Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
        boolean published = false;
        try (RawMmapFile file = sparse ? RawMmapFile.create(temporary, layout.fileSize(), CreateOption.SPARSE) :
            RawMmapFile.create(temporary, layout.fileSize()))
        {
            try
            {
                PageCacheAdvice.apply(file, 0, file.size());
                writeInitialMetadata(file, io, layout, maxPages, storeId);
                contents.writeTo(file, layout);
                io.flushRange(file, 0, file.size());
                publish(temporary, target);
                published = true;
                // Until the directory is durable the name may or may not survive a crash: a create that fails here
                // must not leave a store the caller was told does not exist.
                io.syncDirectory(target.getParent());
            }
            catch (final IOException | RuntimeException ex)
            {
                // Both names are this call's own: the temporary one is unique, and the final one was linked to it.
                deleteQuietly(published ? target : temporary, ex);
                throw ex;
            }
        }
    }

    /**
     * Lists the temporary files of creates of {@code path} in its directory: those in progress and those left by a
     * crash (which the next create of {@code path} removes).
     *
     * @param path the store's final name.
     * @return the temporary files.
     * @throws IOException if the directory cannot be listed.
     */
    public static List<Path> temporaryFiles(final Path path) throws IOException
    {
        return LockedFile.temporaries(path);
    }

    private static void writeInitialMetadata(final RawMmapFile file, final StoreIo io, final StoreLayout layout,
        final long maxPages, final long storeId)
    {
        final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        final UnsafeBuffer buffer = new UnsafeBuffer(page);
        SuperblockDescriptor.encode(buffer, new Superblock(StoreLayout.PAGE_SIZE, layout.pageCount(),
            layout.metadataPages(), 0, 0, 0, new long[SuperblockDescriptor.ROOT_SLOTS], 0, 0, 0, 0, maxPages, 0, 0,
            storeId));
        for (int slot = 0; slot < StoreLayout.SUPERBLOCK_SLOTS; slot++)
        {
            io.writeAt(file, StoreLayout.superblockOffset(slot), page);
        }
        for (long tablePage = 0; tablePage < layout.metadataPages(); tablePage++)
        {
            Arrays.fill(page, (byte)0);
            MetadataPageDescriptor.seal(buffer, tablePage, 0);
            io.writeAt(file, layout.metadataOffset(0, tablePage), page);
            io.writeAt(file, layout.metadataOffset(1, tablePage), page);
        }
    }

    private static void publish(final Path temporary, final Path target) throws IOException
    {
        try
        {
            LockedFile.publish(temporary, target, false);
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw alreadyExists(target);
        }
    }

    private static FileAlreadyExistsException alreadyExists(final Path target)
    {
        return new FileAlreadyExistsException(target.toString(), null, "refusing to replace an existing file");
    }

    private static void deleteQuietly(final Path file, final Exception primary)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            primary.addSuppressed(ex);
        }
    }
}

package io.rangedmmap.store.internal;

import io.rangedmmap.mmap.CreateOption;
import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Creates a new store file atomically: the file is built and made durable under a temporary name in the same
 * directory, then given its final name, so a crash leaves either no store or a whole one.
 */
public final class Formatter
{
    /**
     * The suffix of the temporary name a store is built under.
     */
    public static final String TEMPORARY_SUFFIX = ".tmp-creating";

    private Formatter()
    {
    }

    /**
     * Creates an empty store of {@code pageCount} user pages at {@code path}, durable when this returns.
     *
     * @param path      the store to create.
     * @param pageCount the number of user pages.
     * @param io        the seam the metadata writes, the flush and the directory fsync go through.
     * @throws FileAlreadyExistsException if {@code path} exists; it is left as it was.
     * @throws IOException                on any other I/O error; no file is left behind.
     */
    public static void format(final Path path, final long pageCount, final StoreIo io) throws IOException
    {
        final StoreLayout layout = new StoreLayout(pageCount);
        final Path target = path.toAbsolutePath();
        if (Files.exists(target))
        {
            throw new FileAlreadyExistsException(target.toString(), null, "refusing to replace an existing file");
        }
        final Path temporary = target.resolveSibling(target.getFileName() + TEMPORARY_SUFFIX);
        try
        {
            try (RawMmapFile file = RawMmapFile.create(temporary, layout.fileSize(), CreateOption.REPLACE_EXISTING))
            {
                writeInitialMetadata(file, io, layout);
                io.flushRange(file, 0, file.size());
            }
            publish(temporary, target, io);
        }
        catch (final IOException | RuntimeException ex)
        {
            try
            {
                Files.deleteIfExists(temporary);
            }
            catch (final IOException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
            throw ex;
        }
    }

    private static void writeInitialMetadata(final RawMmapFile file, final StoreIo io, final StoreLayout layout)
    {
        final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        final UnsafeBuffer buffer = new UnsafeBuffer(page);
        SuperblockDescriptor.encode(buffer, new Superblock(StoreLayout.PAGE_SIZE, layout.pageCount(),
            layout.metadataPages(), 0, 0, 0, new long[SuperblockDescriptor.ROOT_SLOTS]));
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

    private static void publish(final Path temporary, final Path target, final StoreIo io) throws IOException
    {
        try
        {
            // A hard link never replaces an existing file, unlike rename: a store created meanwhile under the final
            // name is refused rather than overwritten.
            Files.createLink(target, temporary);
            Files.delete(temporary);
        }
        catch (final UnsupportedOperationException ex)
        {
            if (Files.exists(target))
            {
                throw new FileAlreadyExistsException(target.toString(), null, "refusing to replace an existing file");
            }
            Files.move(temporary, target);
        }
        try
        {
            io.syncDirectory(target.getParent());
        }
        catch (final IOException | RuntimeException ex)
        {
            // Until the directory is durable the name may or may not survive a crash: a create that fails must not
            // leave a store the caller was told does not exist.
            try
            {
                Files.deleteIfExists(target);
            }
            catch (final IOException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
            throw ex;
        }
    }
}

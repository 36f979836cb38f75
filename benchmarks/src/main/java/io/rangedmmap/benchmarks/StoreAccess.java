package io.rangedmmap.benchmarks;

import io.rangedmmap.mmap.Advice;
import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.PageStore;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the benchmarks need from a {@link PageStore} that its API does not give: its mapping, to fault pages in before
 * a measurement, the way {@code MmapWriteBenchmark} faults in its file's pages.
 *
 * <p>The store keeps its {@link RawMmapFile} package-private; this reaches it by reflection (the benchmarks run on
 * the class path, so nothing is opened but the method), and only to apply {@link Advice#POPULATE_WRITE}
 * ({@code MADV_POPULATE_WRITE}) to user pages that are allocated but not yet written. It never writes the file.
 * The offsets follow the layout documented in the store's {@code StoreLayout}: two superblock pages, two copies of
 * {@code ceil(pageCount / 510)} metadata pages, then the user pages.
 */
final class StoreAccess
{
    private static final int ENTRIES_PER_METADATA_PAGE = 510;
    private static final Method FILE;

    static
    {
        try
        {
            FILE = PageStore.class.getDeclaredMethod("file");
            FILE.setAccessible(true);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private StoreAccess()
    {
    }

    /**
     * Faults in, writable, the user pages {@code [first, first + count)} of {@code store}'s mapping.
     *
     * @param store the store.
     * @param first the first user page.
     * @param count the number of pages.
     * @throws IOException if the kernel refuses the advice.
     */
    static void prefault(final PageStore store, final long first, final long count) throws IOException
    {
        final RawMmapFile file;
        try
        {
            file = (RawMmapFile)FILE.invoke(store);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException("cannot reach the mapping of " + store, ex);
        }
        file.advise(dataOffset(store.pageCount(), first), count * PageStore.PAGE_SIZE, Advice.POPULATE_WRITE);
    }

    /**
     * {@return the file offset of user page {@code page} in a store of {@code pageCount} user pages}
     *
     * @param pageCount the store's user pages.
     * @param page      the user page.
     */
    static long dataOffset(final long pageCount, final long page)
    {
        final long metadataPages = (pageCount + ENTRIES_PER_METADATA_PAGE - 1) / ENTRIES_PER_METADATA_PAGE;
        return (2 + 2 * metadataPages + page) * PageStore.PAGE_SIZE;
    }

    /**
     * Deletes a directory and the files in it, if it exists.
     *
     * @param dir the directory, or {@code null}.
     * @throws IOException if something cannot be deleted.
     */
    static void deleteTree(final Path dir) throws IOException
    {
        if (null != dir && Files.exists(dir))
        {
            MmapWriteBenchmark.deleteTree(dir);
        }
    }
}

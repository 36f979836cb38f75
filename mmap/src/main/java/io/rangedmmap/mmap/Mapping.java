package io.rangedmmap.mmap;

/**
 * A newly created or opened {@link MmapFile} together with its one and only {@link RangeAllocator}.
 *
 * <p>Closing the mapping closes the file handle; the allocator needs no closing.
 *
 * @param file      the file handle.
 * @param allocator the file's allocator.
 * @param <A>       the allocator type.
 */
public record Mapping<A extends RangeAllocator>(MmapFile file, A allocator) implements AutoCloseable
{
    /**
     * Closes {@link #file()}; see {@link MmapFile#close()}.
     */
    @Override
    public void close()
    {
        file.close();
    }
}

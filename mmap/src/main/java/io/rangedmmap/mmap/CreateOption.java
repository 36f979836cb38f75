package io.rangedmmap.mmap;

/**
 * Options for {@link MmapFile#create(java.nio.file.Path, long, AllocatorType, CreateOption...)} and
 * {@link RawMmapFile#create(java.nio.file.Path, long, CreateOption...)}.
 */
public enum CreateOption
{
    /**
     * Replace an existing file instead of failing with {@link java.nio.file.FileAlreadyExistsException}. Its old
     * contents are discarded. A file that is open (locked) elsewhere is still refused.
     */
    REPLACE_EXISTING,
    /**
     * Create a sparse file instead of reserving its disk blocks. Faster to create, but a full disk then surfaces at
     * a later write as a {@link MappingFaultException} instead of at {@code create}.
     */
    SPARSE
}

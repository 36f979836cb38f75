package io.rangedmmap.store.internal.format;

import java.util.Arrays;

/**
 * The decoded values of a superblock (see {@link SuperblockDescriptor}).
 *
 * @param pageSize      the page size in bytes.
 * @param pageCount     the number of user pages.
 * @param metadataPages the number of metadata pages per copy.
 * @param sequence      the checkpoint sequence, 0 for a new store.
 * @param currentCopy   the metadata copy this checkpoint wrote, {@code sequence & 1}.
 * @param livePages     the number of live user pages at this checkpoint.
 * @param roots         the 16 root slots.
 */
public record Superblock(
    int pageSize,
    long pageCount,
    long metadataPages,
    long sequence,
    int currentCopy,
    long livePages,
    long[] roots)
{
    @Override
    public String toString()
    {
        return "Superblock{pageSize=" + pageSize + ", pageCount=" + pageCount + ", metadataPages=" + metadataPages +
            ", sequence=" + sequence + ", currentCopy=" + currentCopy + ", livePages=" + livePages + ", roots=" +
            Arrays.toString(roots) + "}";
    }
}

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
 * @param flags         {@link SuperblockDescriptor#FLAG_ONE_FLUSH} if the checkpoint was made durable by one flush
 *                      together with its pages and metadata, so that open must verify them;
 *                      {@link SuperblockDescriptor#FLAG_BACKUP} if a backup wrote it;
 *                      {@link SuperblockDescriptor#FLAG_CLEAN} in a clean close's copy; else 0.
 * @param metadataPagesWritten the number of metadata pages this checkpoint wrote (those carrying its sequence).
 * @param metadataDigest the CRC32C of the (table index, CRC32C) pairs of those pages, ascending by index.
 * @param newPages      the number of user pages this checkpoint made live.
 * @param maxPages      the largest number of user pages the store may grow to (format 3); {@code pageCount} for a
 *                      store that keeps its size.
 * @param highWater     the number of leading groups (metadata table pages) that may hold a live entry: every group
 *                      at or above it is free in this checkpoint, and open reads no metadata there (format 3).
 * @param highWaterBefore the high-water mark of the checkpoint this one followed: the groups in
 *                      {@code [highWaterBefore, highWater)} were all free before it.
 * @param storeId       the identity of the store, random at create and kept by every checkpoint and by a backup
 *                      (which is a copy of the same store); 0 in a file made before stores had one.
 */
public record Superblock(
    int pageSize,
    long pageCount,
    long metadataPages,
    long sequence,
    int currentCopy,
    long livePages,
    long[] roots,
    int flags,
    int metadataPagesWritten,
    int metadataDigest,
    long newPages,
    long maxPages,
    long highWater,
    long highWaterBefore,
    long storeId)
{
    /**
     * The superblock of a checkpoint that names no newly written page: a new store's.
     *
     * @param pageSize      the page size in bytes.
     * @param pageCount     the number of user pages.
     * @param metadataPages the number of metadata pages per copy.
     * @param sequence      the checkpoint sequence, 0 for a new store.
     * @param currentCopy   the metadata copy this checkpoint wrote, {@code sequence & 1}.
     * @param livePages     the number of live user pages at this checkpoint.
     * @param roots         the 16 root slots.
     */
    public Superblock(final int pageSize, final long pageCount, final long metadataPages, final long sequence,
        final int currentCopy, final long livePages, final long[] roots)
    {
        this(pageSize, pageCount, metadataPages, sequence, currentCopy, livePages, roots, 0, 0, 0, 0, pageCount, 0, 0,
            0);
    }

    /**
     * {@return whether {@code other} names the same checkpoint}: every field equal but the flags
     * {@link SuperblockDescriptor#FLAG_ONE_FLUSH}, {@link SuperblockDescriptor#FLAG_DIRECTORY} and
     * {@link SuperblockDescriptor#FLAG_CLEAN}, which a clean close's copy of the superblock drops and sets (with the
     * directory's bytes replaced by its free map).
     *
     * @param other the superblock of the other slot.
     */
    public boolean sameCheckpointAs(final Superblock other)
    {
        final int ignored = SuperblockDescriptor.FLAG_ONE_FLUSH | SuperblockDescriptor.FLAG_CLEAN |
            SuperblockDescriptor.FLAG_DIRECTORY;
        return pageSize == other.pageSize && pageCount == other.pageCount && metadataPages == other.metadataPages &&
            sequence == other.sequence && currentCopy == other.currentCopy && livePages == other.livePages &&
            Arrays.equals(roots, other.roots) && (flags & ~ignored) == (other.flags & ~ignored) &&
            metadataPagesWritten == other.metadataPagesWritten && metadataDigest == other.metadataDigest &&
            newPages == other.newPages && maxPages == other.maxPages && highWater == other.highWater &&
            highWaterBefore == other.highWaterBefore && storeId == other.storeId;
    }

    /**
     * {@return this superblock with other flags}
     *
     * @param newFlags the flags.
     */
    public Superblock withFlags(final int newFlags)
    {
        return new Superblock(pageSize, pageCount, metadataPages, sequence, currentCopy, livePages, roots, newFlags,
            metadataPagesWritten, metadataDigest, newPages, maxPages, highWater, highWaterBefore, storeId);
    }

    @Override
    public String toString()
    {
        return "Superblock{pageSize=" + pageSize + ", pageCount=" + pageCount + ", metadataPages=" + metadataPages +
            ", sequence=" + sequence + ", currentCopy=" + currentCopy + ", livePages=" + livePages + ", roots=" +
            Arrays.toString(roots) + ", flags=" + flags + ", metadataPagesWritten=" + metadataPagesWritten +
            ", metadataDigest=0x" + Integer.toHexString(metadataDigest) + ", newPages=" + newPages + ", maxPages=" +
            maxPages + ", highWater=" + highWater + ", highWaterBefore=" + highWaterBefore + ", storeId=0x" +
            Long.toHexString(storeId) + "}";
    }
}

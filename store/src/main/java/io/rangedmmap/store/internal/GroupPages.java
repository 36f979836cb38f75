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
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * One group's metadata pages as an open reads them: the page in the copy a superblock names and, unless only that one
 * was read, the page in the other copy (the two sit side by side, one {@code pread}). What the open, the check of a
 * one-flush checkpoint's listed groups and the comparison of the copies ({@link StaleGroups}) ask of the other page is
 * answered here once: whether it is valid, whether it differs from the current one, and whether it holds the version
 * before a checkpoint.
 *
 * <p><b>Thread safety:</b> none; one reader's buffers, reused group after group.
 */
final class GroupPages
{
    private final byte[] pair = new byte[2 * StoreLayout.PAGE_SIZE];
    private final byte[] currentBytes = new byte[StoreLayout.PAGE_SIZE];
    private final byte[] otherBytes = new byte[StoreLayout.PAGE_SIZE];
    private final UnsafeBuffer allFree = new UnsafeBuffer(new byte[StoreLayout.PAGE_SIZE]);
    private boolean otherRead;

    /**
     * The page in the current copy, as last read.
     */
    final UnsafeBuffer current = new UnsafeBuffer(currentBytes);

    /**
     * The page in the other copy, as last read by {@link #readBoth}.
     */
    final UnsafeBuffer other = new UnsafeBuffer(otherBytes);

    /**
     * Reads a group's pages in both copies.
     *
     * @param file   the store file.
     * @param layout its layout.
     * @param group  the group.
     * @param copy   the current copy.
     */
    void readBoth(final RawMmapFile file, final StoreLayout layout, final long group, final int copy)
    {
        Recovery.read(file, layout.metadataOffset(0, group), pair);
        System.arraycopy(pair, copy * StoreLayout.PAGE_SIZE, currentBytes, 0, StoreLayout.PAGE_SIZE);
        System.arraycopy(pair, (1 - copy) * StoreLayout.PAGE_SIZE, otherBytes, 0, StoreLayout.PAGE_SIZE);
        otherRead = true;
    }

    /**
     * Reads a group's page in the current copy only (after a clean close, which made the copies equal).
     *
     * @param file   the store file.
     * @param layout its layout.
     * @param group  the group.
     * @param copy   the current copy.
     */
    void readCurrent(final RawMmapFile file, final StoreLayout layout, final long group, final int copy)
    {
        Recovery.read(file, layout.metadataOffset(copy, group), currentBytes);
        otherRead = false;
    }

    /**
     * {@return whether the other copy's page was read and passes the checks of a page no newer than
     * {@code sequence}}
     *
     * @param group    the group it must be.
     * @param sequence the newest sequence it may carry.
     */
    boolean otherValid(final long group, final long sequence)
    {
        return otherRead && null == MetadataPageDescriptor.check(other, group, sequence);
    }

    /**
     * {@return whether the other copy's page, read, is not a valid page no newer than {@code sequence} with the
     * current page's entries}: a group the next checkpoint must rewrite there
     *
     * @param group    the group.
     * @param sequence the sequence of the superblock the store opened at.
     */
    boolean otherDiffers(final long group, final long sequence)
    {
        return otherRead && (!otherValid(group, sequence) ||
            !Arrays.equals(currentBytes, MetadataPageDescriptor.HEADER_LENGTH, StoreLayout.PAGE_SIZE, otherBytes,
                MetadataPageDescriptor.HEADER_LENGTH, StoreLayout.PAGE_SIZE));
    }

    /**
     * {@return the group's page as it was before the checkpoint of {@code superblock}, which wrote the current one, or
     * {@code null} if it is not known}: all free for a group that checkpoint raised the high-water mark over (whatever
     * the other copy holds); else the other copy's page if valid and of an earlier checkpoint. One of the same
     * checkpoint was copied there by a clean close (only it writes a checkpoint's pages into both copies), and one of a
     * later checkpoint overwrote it: then the previous page is gone.
     *
     * @param group      the group.
     * @param superblock the checkpoint.
     */
    UnsafeBuffer previous(final long group, final Superblock superblock)
    {
        if (group >= superblock.highWaterBefore())
        {
            return allFree;
        }
        return otherValid(group, superblock.sequence()) &&
            superblock.sequence() != MetadataPageDescriptor.pageSequence(other) ? other : null;
    }
}

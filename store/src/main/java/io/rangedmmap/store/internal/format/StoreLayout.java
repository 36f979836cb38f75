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

/**
 * Where everything lives in a store file: a file of 4 KiB pages holding two superblocks, two copies of the
 * metadata table and then the user pages.
 *
 * <pre>
 *   file page:  0           1           2 .. 2+M-1        2+M .. 2+2M-1     2+2M .. 2+2M+P-1
 *             +-----------+-----------+-----------------+-----------------+---------------------+
 *             | superblock| superblock| metadata copy 0 | metadata copy 1 | user pages 0 .. P-1 |
 *             |  slot 0   |  slot 1   |  (M pages)      |  (M pages)      |                     |
 *             +-----------+-----------+-----------------+-----------------+---------------------+
 * </pre>
 *
 * <p>{@code P} is the number of user pages and {@code M = ceil(P / 510)} the number of metadata pages per copy
 * ({@link MetadataPageDescriptor#ENTRIES_PER_PAGE} entries each). Checkpoint {@code N} writes superblock slot
 * {@code N % 2} and metadata copy {@code N % 2}.
 */
public final class StoreLayout
{
    /**
     * The size of every page of the file, in bytes.
     */
    public static final int PAGE_SIZE = 4096;

    /**
     * The number of superblock slots.
     */
    public static final int SUPERBLOCK_SLOTS = 2;

    /**
     * The largest number of user pages: per-page state is kept in {@code int} arrays.
     */
    public static final long MAX_PAGE_COUNT = Integer.MAX_VALUE - 1024L;

    private final long pageCount;
    private final long metadataPages;

    /**
     * Computes the layout of a store of {@code pageCount} user pages.
     *
     * @param pageCount the number of user pages, checked by {@link #checkPageCount(long)}.
     */
    public StoreLayout(final long pageCount)
    {
        checkPageCount(pageCount);
        this.pageCount = pageCount;
        this.metadataPages = MetadataPageDescriptor.metadataPagesFor(pageCount);
    }

    /**
     * Checks a requested number of user pages.
     *
     * @param pageCount the number of user pages.
     * @throws IllegalArgumentException if {@code pageCount < 1} or {@code pageCount > MAX_PAGE_COUNT}.
     */
    public static void checkPageCount(final long pageCount)
    {
        if (pageCount < 1 || pageCount > MAX_PAGE_COUNT)
        {
            throw new IllegalArgumentException("pageCount=" + pageCount + " must be in [1, " + MAX_PAGE_COUNT + "]");
        }
    }

    /**
     * {@return the number of user pages}
     */
    public long pageCount()
    {
        return pageCount;
    }

    /**
     * {@return the number of metadata pages in each of the two copies}
     */
    public long metadataPages()
    {
        return metadataPages;
    }

    /**
     * {@return the size of the whole file in bytes}
     */
    public long fileSize()
    {
        return (SUPERBLOCK_SLOTS + 2 * metadataPages + pageCount) * PAGE_SIZE;
    }

    /**
     * {@return the file offset of a superblock slot}
     *
     * @param slot 0 or 1.
     */
    public static long superblockOffset(final int slot)
    {
        return (long)slot * PAGE_SIZE;
    }

    /**
     * {@return the file offset of one metadata page of one copy}
     *
     * @param copy      0 or 1.
     * @param tablePage the index of the page in the table, in {@code [0, metadataPages())}.
     */
    public long metadataOffset(final int copy, final long tablePage)
    {
        return (SUPERBLOCK_SLOTS + copy * metadataPages + tablePage) * PAGE_SIZE;
    }

    /**
     * {@return the file offset of a user page}
     *
     * @param pageId the user page, in {@code [0, pageCount())}.
     */
    public long dataOffset(final long pageId)
    {
        return (SUPERBLOCK_SLOTS + 2 * metadataPages + pageId) * PAGE_SIZE;
    }

    @Override
    public String toString()
    {
        return "StoreLayout{pageCount=" + pageCount + ", metadataPages=" + metadataPages + "}";
    }
}

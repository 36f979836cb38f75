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
 * Where everything lives in a store file: two superblocks, then the user pages in <em>groups</em> of
 * {@link #GROUP_USER_PAGES} ({@link MetadataPageDescriptor#ENTRIES_PER_PAGE}), each preceded by its own two
 * metadata pages, one per copy, holding the entries of that group's user pages.
 *
 * <pre>
 *   file page:  0           1           2+512g        3+512g        4+512g .. 4+512g+509
 *             +-----------+-----------+-------------+-------------+-------------------------+-- group g+1 ..
 *             | superblock| superblock| metadata    | metadata    | user pages 510g ..      |
 *             |  slot 0   |  slot 1   | copy 0, g   | copy 1, g   |   510g + 509            |
 *             +-----------+-----------+-------------+-------------+-------------------------+--
 * </pre>
 *
 * <p>No offset depends on the page count: a store grows by appending groups (and filling its last one) without
 * moving a byte of what is already in the file, and without resizing anything already mapped (format version 3,
 * issue 10; before it the two metadata copies sat whole before all user pages, so their size, and the offset of
 * every user page, followed the page count). Table page {@code g} of copy {@code c} is the metadata page of group
 * {@code g}. Checkpoint {@code N} writes superblock slot {@code N % 2} and metadata copy {@code N % 2}. A store of
 * at most 510 pages has exactly the file layout of format 2.
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
     * The number of user pages in a group: the entries of one metadata page.
     */
    public static final int GROUP_USER_PAGES = MetadataPageDescriptor.ENTRIES_PER_PAGE;

    /**
     * The number of file pages a full group takes: its two metadata pages and its user pages (2 MiB).
     */
    public static final int GROUP_FILE_PAGES = 2 + GROUP_USER_PAGES;

    /**
     * The largest number of user pages: 2^32, 16 TiB of user pages (the file is 0.4% larger).
     */
    public static final long MAX_PAGE_COUNT = 1L << 32;

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
     * {@return the number of metadata pages in each of the two copies: the number of groups}
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
        return fileSizeFor(pageCount);
    }

    /**
     * {@return the size of the file of a store of {@code pageCount} user pages, in bytes}
     *
     * @param pageCount the number of user pages, at least 1.
     */
    public static long fileSizeFor(final long pageCount)
    {
        return (SUPERBLOCK_SLOTS + 2 * MetadataPageDescriptor.metadataPagesFor(pageCount) + pageCount) * PAGE_SIZE;
    }

    /**
     * {@return the most user pages a file of {@code bytes} bytes holds: the inverse of {@link #fileSizeFor(long)}}
     *
     * @param bytes a file size.
     */
    public static long pagesFitting(final long bytes)
    {
        final long filePages = bytes / PAGE_SIZE - SUPERBLOCK_SLOTS;
        if (filePages <= 0)
        {
            return 0;
        }
        final long groups = filePages / GROUP_FILE_PAGES;
        final long rest = filePages - groups * GROUP_FILE_PAGES;
        return Math.min(MAX_PAGE_COUNT, groups * GROUP_USER_PAGES + Math.max(0, rest - 2));
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
     * @param tablePage the index of the page in the table: its group.
     */
    public long metadataOffset(final int copy, final long tablePage)
    {
        return metadataOffsetOf(copy, tablePage);
    }

    /**
     * {@return the file offset of one metadata page of one copy, in a store of any size}
     *
     * @param copy      0 or 1.
     * @param tablePage the index of the page in the table: its group.
     */
    public static long metadataOffsetOf(final int copy, final long tablePage)
    {
        return (SUPERBLOCK_SLOTS + tablePage * GROUP_FILE_PAGES + copy) * (long)PAGE_SIZE;
    }

    /**
     * {@return the file offset of a user page}
     *
     * @param pageId the user page, in {@code [0, pageCount())}.
     */
    public long dataOffset(final long pageId)
    {
        return dataOffsetOf(pageId);
    }

    /**
     * {@return the file offset of a user page, in a store of any size}
     *
     * @param pageId the user page.
     */
    public static long dataOffsetOf(final long pageId)
    {
        final long group = pageId / GROUP_USER_PAGES;
        return (SUPERBLOCK_SLOTS + group * GROUP_FILE_PAGES + 2 + (pageId - group * GROUP_USER_PAGES)) *
            (long)PAGE_SIZE;
    }

    @Override
    public String toString()
    {
        return "StoreLayout{pageCount=" + pageCount + ", metadataPages=" + metadataPages + "}";
    }
}

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

import io.rangedmmap.store.IncompatibleStoreException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * One page of the metadata table: a 16-byte header, then one 8-byte entry per user page. Table page {@code t}
 * holds the entries of user pages {@code [t * 510, (t + 1) * 510)}; the entries past the last user page are zero.
 * All fields are little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |  CRC32C of bytes [4, 4096)    |        Table Page Index       |  0
 *  +-------------------------------+-------------------------------+
 *  |          Checkpoint Sequence that wrote this page             |  8
 *  +-------------------------------+-------------------------------+
 *  |  Entry 0: CRC32C of the page  |        Entry 0: Flags         | 16
 *  +-------------------------------+-------------------------------+
 *  |                            ...                                |
 *  +-------------------------------+-------------------------------+
 *  | Entry 509: CRC32C of the page |       Entry 509: Flags        | 4088
 *  +-------------------------------+-------------------------------+
 * </pre>
 *
 * <p>An entry with {@link #FLAG_LIVE} describes a live page and its CRC32C; a free page's entry is all zero.
 */
public final class MetadataPageDescriptor
{
    /**
     * Offset of the page's own CRC32C, which covers {@code [TABLE_INDEX_OFFSET, PAGE_SIZE)}.
     */
    public static final int CRC_OFFSET = 0;

    /**
     * Offset of the page's index in the table.
     */
    public static final int TABLE_INDEX_OFFSET = 4;

    /**
     * Offset of the sequence of the checkpoint that last wrote the page.
     */
    public static final int SEQUENCE_OFFSET = 8;

    /**
     * The length of the header, and the offset of the first entry.
     */
    public static final int HEADER_LENGTH = 16;

    /**
     * The length of an entry.
     */
    public static final int ENTRY_LENGTH = 8;

    /**
     * Offset of the CRC32C of the user page within an entry.
     */
    public static final int ENTRY_CRC_OFFSET = 0;

    /**
     * Offset of the flags within an entry.
     */
    public static final int ENTRY_FLAGS_OFFSET = 4;

    /**
     * Entries per metadata page: {@code (4096 - 16) / 8}.
     */
    public static final int ENTRIES_PER_PAGE = (StoreLayout.PAGE_SIZE - HEADER_LENGTH) / ENTRY_LENGTH;

    /**
     * The flag of a live page.
     */
    public static final int FLAG_LIVE = 1;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private MetadataPageDescriptor()
    {
    }

    /**
     * {@return the number of metadata pages that hold the entries of {@code pageCount} user pages}
     *
     * @param pageCount the number of user pages.
     */
    public static long metadataPagesFor(final long pageCount)
    {
        return (pageCount + ENTRIES_PER_PAGE - 1) / ENTRIES_PER_PAGE;
    }

    /**
     * {@return the table page holding the entry of a user page}
     *
     * @param pageId the user page.
     */
    public static long tablePageOf(final long pageId)
    {
        return pageId / ENTRIES_PER_PAGE;
    }

    /**
     * {@return the offset within its table page of the entry of a user page}
     *
     * @param pageId the user page.
     */
    public static int entryOffset(final long pageId)
    {
        return HEADER_LENGTH + (int)(pageId % ENTRIES_PER_PAGE) * ENTRY_LENGTH;
    }

    /**
     * Writes one entry.
     *
     * @param page   the metadata page.
     * @param pageId the user page.
     * @param flags  {@link #FLAG_LIVE} or 0.
     * @param crc    the CRC32C of the user page, 0 for a free page.
     */
    public static void putEntry(final MutableDirectBuffer page, final long pageId, final int flags, final int crc)
    {
        final int offset = entryOffset(pageId);
        page.putInt(offset + ENTRY_CRC_OFFSET, crc, ORDER);
        page.putInt(offset + ENTRY_FLAGS_OFFSET, flags, ORDER);
    }

    /**
     * {@return the flags of an entry}
     *
     * @param page   the metadata page.
     * @param pageId the user page.
     */
    public static int entryFlags(final DirectBuffer page, final long pageId)
    {
        return page.getInt(entryOffset(pageId) + ENTRY_FLAGS_OFFSET, ORDER);
    }

    /**
     * {@return the CRC32C of the user page recorded in an entry}
     *
     * @param page   the metadata page.
     * @param pageId the user page.
     */
    public static int entryCrc(final DirectBuffer page, final long pageId)
    {
        return page.getInt(entryOffset(pageId) + ENTRY_CRC_OFFSET, ORDER);
    }

    /**
     * Writes the header of a page whose entries are in place, and its CRC.
     *
     * @param page      the metadata page, {@code byte[4096]}-backed.
     * @param tablePage the page's index in the table.
     * @param sequence  the checkpoint writing it.
     */
    public static void seal(final MutableDirectBuffer page, final long tablePage, final long sequence)
    {
        page.putInt(TABLE_INDEX_OFFSET, (int)tablePage, ORDER);
        page.putLong(SEQUENCE_OFFSET, sequence, ORDER);
        page.putInt(CRC_OFFSET, crc(page), ORDER);
    }

    /**
     * {@return the page's own stored CRC32C}
     *
     * @param page the metadata page.
     */
    public static int pageCrc(final DirectBuffer page)
    {
        return page.getInt(CRC_OFFSET, ORDER);
    }

    /**
     * {@return the sequence of the checkpoint that wrote the page}
     *
     * @param page the metadata page.
     */
    public static long pageSequence(final DirectBuffer page)
    {
        return page.getLong(SEQUENCE_OFFSET, ORDER);
    }

    /**
     * Adds one written page to the digest a superblock keeps of the metadata pages its checkpoint wrote: its index
     * and its CRC32C, little-endian, in ascending order of index.
     *
     * @param digest    the running digest.
     * @param tablePage the page's index.
     * @param pageCrc   its stored CRC32C.
     */
    public static void addToDigest(final CRC32C digest, final long tablePage, final int pageCrc)
    {
        final int index = (int)tablePage;
        digest.update(index);
        digest.update(index >>> 8);
        digest.update(index >>> 16);
        digest.update(index >>> 24);
        digest.update(pageCrc);
        digest.update(pageCrc >>> 8);
        digest.update(pageCrc >>> 16);
        digest.update(pageCrc >>> 24);
    }

    /**
     * Checks a metadata page of the current copy.
     *
     * @param page      the metadata page, {@code byte[4096]}-backed.
     * @param tablePage the index it must carry.
     * @param sequence  the sequence of the superblock that names this copy; the page's may not be higher.
     * @return {@code null} if the page is valid, else what is wrong with it, with the values.
     */
    public static String check(final DirectBuffer page, final long tablePage, final long sequence)
    {
        final int stored = page.getInt(CRC_OFFSET, ORDER);
        final int actual = crc(page);
        if (stored != actual)
        {
            return "metadata page " + tablePage + " has crc32c=0x" + Integer.toHexString(stored) + " but its bytes " +
                "give 0x" + Integer.toHexString(actual);
        }
        final int index = page.getInt(TABLE_INDEX_OFFSET, ORDER);
        if (index != tablePage)
        {
            return "metadata page " + tablePage + " carries tableIndex=" + index;
        }
        final long pageSequence = page.getLong(SEQUENCE_OFFSET, ORDER);
        if (pageSequence > sequence || pageSequence < 0)
        {
            return "metadata page " + tablePage + " has sequence=" + pageSequence + ", newer than superblock " +
                "sequence=" + sequence;
        }
        return null;
    }

    /**
     * Checks a metadata page of the current copy.
     *
     * @param page      the metadata page, {@code byte[4096]}-backed.
     * @param tablePage the index it must carry.
     * @param sequence  the sequence of the superblock that names this copy.
     * @param file      the store, for the message.
     * @throws IncompatibleStoreException if the page's CRC32C does not match its bytes, it carries another index
     *                                    or a sequence above {@code sequence}.
     */
    public static void checkPage(final DirectBuffer page, final long tablePage, final long sequence, final Path file)
    {
        final String problem = check(page, tablePage, sequence);
        if (null != problem)
        {
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                file + ": " + problem);
        }
    }

    private static int crc(final DirectBuffer page)
    {
        final CRC32C crc = new CRC32C();
        crc.update(page.byteArray(), TABLE_INDEX_OFFSET, StoreLayout.PAGE_SIZE - TABLE_INDEX_OFFSET);
        return (int)crc.getValue();
    }
}

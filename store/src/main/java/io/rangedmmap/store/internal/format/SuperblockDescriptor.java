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
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The superblock: the root of a store, in file page 0 (slot 0) and file page 1 (slot 1). Checkpoint {@code N}
 * writes slot {@code N % 2}; open takes the valid superblock with the highest sequence. On a tie (a new store, or a
 * clean close's copy in the spare slot, see below) it takes slot {@code N % 2}'s, and honours the other's
 * {@link #FLAG_CLEAN} only if the two name the same checkpoint in every other field. All fields are little-endian;
 * the rest of the page is zero.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    Magic "RMMSTORE" (8 bytes)                 |  0
 *  +-------------------------------+-------------------------------+
 *  |        Format Version         |           Page Size           |  8
 *  +-------------------------------+-------------------------------+
 *  |                     User Page Count (8 bytes)                 | 16
 *  +---------------------------------------------------------------+
 *  |                Metadata Pages per Copy (8 bytes)              | 24
 *  +---------------------------------------------------------------+
 *  |                 Checkpoint Sequence (8 bytes)                 | 32
 *  +-------------------------------+-------------------------------+
 *  |   Current Copy (sequence&amp;1)   |     Store Id, low 32 bits     | 40
 *  +-------------------------------+-------------------------------+
 *  |                   Live Page Count (8 bytes)                   | 48
 *  +---------------------------------------------------------------+
 *  |                 Root Slots 0 .. 15 (16 x 8 bytes)            ...  56
 *  +-------------------------------+-------------------------------+
 *  |        Checkpoint Flags       |    Metadata Pages Written     | 184
 *  +-------------------------------+-------------------------------+
 *  |        Metadata Digest        |     Store Id, high 32 bits    | 192
 *  +-------------------------------+-------------------------------+
 *  |                  New User Pages (8 bytes)                     | 200
 *  +---------------------------------------------------------------+
 *  |                Max User Pages (8 bytes, format 3)             | 208
 *  +---------------------------------------------------------------+
 *  |          High-Water Mark, in groups (8 bytes, format 3)       | 216
 *  +---------------------------------------------------------------+
 *  |     High-Water Mark of the checkpoint before (8 bytes)        | 224
 *  +---------------------------------------------------------------+
 *  |   Clean mark: free map; one-flush checkpoint: directory      ...  232
 *  |   of the groups it wrote (3,840 bytes, format 4; else zeros)  |
 *  +-------------------------------+-------------------------------+
 *  |  CRC32C of bytes [0, 4072)    |                                 4072
 *  +-------------------------------+
 * </pre>
 *
 * <p><b>What the superblock newly names (format version 2).</b> A checkpoint writes its user pages, its metadata
 * pages and its superblock and may make them durable with one flush, so after a power loss the superblock may be on
 * disk without some of them. It therefore names what it wrote: the metadata pages carrying its sequence (their
 * count and the digest of their indexes and CRC32Cs) and the number of user pages it made live (each listed, with
 * its CRC32C, in those metadata pages). Open accepts it only if all of them verify, and otherwise falls back to the
 * previous checkpoint, which the newer one never overwrote. {@link #FLAG_ONE_FLUSH} says whether the user pages
 * must be read to verify them: without it they were flushed before the superblock was written.
 *
 * <p><b>Clean close (format version 4).</b> A clean close makes the two metadata copies equal in every group below
 * the high-water mark, flushes them, then writes a copy of the durable checkpoint's superblock with
 * {@link #FLAG_CLEAN} into the spare slot (so the two slots hold the same sequence): open then need not compare the
 * copies. The next checkpoint of a writable open clears it (rewrites that slot without the flag, flushed) before it
 * writes any metadata.
 *
 * <p><b>Directory (format 4).</b> A checkpoint made durable by one flush lists, in the bytes a clean close's mark
 * uses for its free map, the metadata groups it wrote ({@link #FLAG_DIRECTORY}): open after a crash verifies it by
 * reading those groups alone, and leaves every other group to be checked at its first touch.
 *
 * <p><b>Store identity.</b> The two words that were reserved (zero) hold a 64-bit store id, random at create, kept
 * by every checkpoint and copied by a backup, so that an incremental backup can refuse a backup of another store. A
 * file written before had zeros there, which reads as store id 0; the format version is unchanged.
 */
public final class SuperblockDescriptor
{
    /**
     * Offset of the magic number.
     */
    public static final int MAGIC_OFFSET = 0;

    /**
     * Offset of the format version.
     */
    public static final int VERSION_OFFSET = 8;

    /**
     * Offset of the page size.
     */
    public static final int PAGE_SIZE_OFFSET = 12;

    /**
     * Offset of the number of user pages.
     */
    public static final int PAGE_COUNT_OFFSET = 16;

    /**
     * Offset of the number of metadata pages per copy.
     */
    public static final int METADATA_PAGES_OFFSET = 24;

    /**
     * Offset of the checkpoint sequence.
     */
    public static final int SEQUENCE_OFFSET = 32;

    /**
     * Offset of the index of the current metadata copy.
     */
    public static final int CURRENT_COPY_OFFSET = 40;

    /**
     * Offset of the low 32 bits of the store id (in a word that was reserved).
     */
    public static final int STORE_ID_LOW_OFFSET = CURRENT_COPY_OFFSET + Integer.BYTES;

    /**
     * Offset of the number of live pages.
     */
    public static final int LIVE_PAGES_OFFSET = 48;

    /**
     * Offset of the first root slot.
     */
    public static final int ROOTS_OFFSET = 56;

    /**
     * The number of root slots.
     */
    public static final int ROOT_SLOTS = 16;

    /**
     * Offset of the checkpoint flags.
     */
    public static final int FLAGS_OFFSET = ROOTS_OFFSET + ROOT_SLOTS * Long.BYTES;

    /**
     * Offset of the number of metadata pages the checkpoint wrote.
     */
    public static final int METADATA_WRITTEN_OFFSET = FLAGS_OFFSET + Integer.BYTES;

    /**
     * Offset of the digest of the metadata pages the checkpoint wrote.
     */
    public static final int METADATA_DIGEST_OFFSET = METADATA_WRITTEN_OFFSET + Integer.BYTES;

    /**
     * Offset of the high 32 bits of the store id (in a word that was reserved).
     */
    public static final int STORE_ID_HIGH_OFFSET = METADATA_DIGEST_OFFSET + Integer.BYTES;

    /**
     * Offset of the number of user pages the checkpoint made live.
     */
    public static final int NEW_PAGES_OFFSET = METADATA_DIGEST_OFFSET + 2 * Integer.BYTES;

    /**
     * Offset of the largest number of user pages the store may grow to (format 3).
     */
    public static final int MAX_PAGES_OFFSET = NEW_PAGES_OFFSET + Long.BYTES;

    /**
     * Offset of the high-water mark: the number of leading groups that may hold a live entry (format 3).
     */
    public static final int HIGH_WATER_OFFSET = MAX_PAGES_OFFSET + Long.BYTES;

    /**
     * Offset of the high-water mark of the checkpoint before (format 3).
     */
    public static final int HIGH_WATER_BEFORE_OFFSET = HIGH_WATER_OFFSET + Long.BYTES;

    /**
     * Offset of the clean close's map of the groups that may hold a free page (format 4; zeros in every other
     * superblock): bit {@code i} (byte {@code i / 8}, bit {@code i % 8}) covers the groups
     * {@code [i * span, (i + 1) * span)} with {@code span = } {@link #freeMapSpan(long)} of the high-water mark, and is
     * clear only if none of them holds a free page in the checkpoint.
     */
    public static final int FREE_MAP_OFFSET = HIGH_WATER_BEFORE_OFFSET + Long.BYTES;

    /**
     * Length of the free map: 30,720 bits, one a group up to 30,720 groups (about 15.6 million pages).
     */
    public static final int FREE_MAP_BYTES = 3840;

    /**
     * Offset of the CRC32C, which covers {@code [0, CRC_OFFSET)}.
     */
    public static final int CRC_OFFSET = FREE_MAP_OFFSET + FREE_MAP_BYTES;

    /**
     * The flag of a checkpoint made durable by one flush with its pages: open reads its new user pages to verify them.
     */
    public static final int FLAG_ONE_FLUSH = 1;

    /**
     * The flag of a checkpoint written by a backup ({@code PageStore.backup} or {@code backupTo}): it holds another
     * store's checkpoint of that sequence, so the spare slot holds an older checkpoint of the backup, not necessarily
     * the one just before. Recovery never falls back from it (it is not a one-flush checkpoint).
     */
    public static final int FLAG_BACKUP = 2;

    /**
     * The flag of a clean close's superblock (format 4): a copy of the durable checkpoint's superblock, written into
     * the spare slot once the two metadata copies were made equal below the high-water mark and flushed. Open then
     * reads only the current copy and finds no group stale. Never set together with {@link #FLAG_ONE_FLUSH}.
     */
    public static final int FLAG_CLEAN = 4;

    /**
     * The flag of a checkpoint made durable by one flush that lists the metadata groups it wrote (format 4): their
     * indexes, {@link Superblock#metadataPagesWritten()} of them, ascending, as unsigned 32-bit words from
     * {@link #DIRECTORY_OFFSET}. Open after a crash reads those groups, not every group, to verify it. Set only with
     * {@link #FLAG_ONE_FLUSH}: a checkpoint that writes more groups than fit is made durable with two flushes.
     */
    public static final int FLAG_DIRECTORY = 8;

    /**
     * Offset of a one-flush checkpoint's directory of the groups it wrote (see {@link #FLAG_DIRECTORY}): the bytes a
     * clean close's mark uses for its free map, which a checkpoint's superblock never carries.
     */
    public static final int DIRECTORY_OFFSET = FREE_MAP_OFFSET;

    /**
     * The most groups a directory lists: 960.
     */
    public static final int DIRECTORY_CAPACITY = FREE_MAP_BYTES / Integer.BYTES;

    /**
     * The length of the encoded superblock.
     */
    public static final int LENGTH = CRC_OFFSET + Integer.BYTES;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private SuperblockDescriptor()
    {
    }

    /**
     * Encodes a superblock at index 0 of {@code buffer} and computes its CRC.
     *
     * @param buffer     at least {@link #LENGTH} bytes.
     * @param superblock the values.
     */
    public static void encode(final MutableDirectBuffer buffer, final Superblock superblock)
    {
        encode(buffer, superblock, null);
    }

    /**
     * Encodes a clean close's mark with its free map (see {@link #FREE_MAP_OFFSET}).
     *
     * @param buffer     at least {@link #LENGTH} bytes.
     * @param superblock the values.
     * @param freeMap    {@link #FREE_MAP_BYTES} bytes, or {@code null} for none (zeros).
     */
    public static void encode(final MutableDirectBuffer buffer, final Superblock superblock, final byte[] freeMap)
    {
        buffer.setMemory(0, LENGTH, (byte)0);
        buffer.putLong(MAGIC_OFFSET, FormatVersion.MAGIC, ORDER);
        buffer.putInt(VERSION_OFFSET, FormatVersion.CURRENT, ORDER);
        buffer.putInt(PAGE_SIZE_OFFSET, StoreLayout.PAGE_SIZE, ORDER);
        buffer.putLong(PAGE_COUNT_OFFSET, superblock.pageCount(), ORDER);
        buffer.putLong(METADATA_PAGES_OFFSET, superblock.metadataPages(), ORDER);
        buffer.putLong(SEQUENCE_OFFSET, superblock.sequence(), ORDER);
        buffer.putInt(CURRENT_COPY_OFFSET, (int)(superblock.sequence() & 1), ORDER);
        buffer.putLong(LIVE_PAGES_OFFSET, superblock.livePages(), ORDER);
        for (int i = 0; i < ROOT_SLOTS; i++)
        {
            buffer.putLong(ROOTS_OFFSET + i * Long.BYTES, superblock.roots()[i], ORDER);
        }
        buffer.putInt(FLAGS_OFFSET, superblock.flags(), ORDER);
        buffer.putInt(METADATA_WRITTEN_OFFSET, superblock.metadataPagesWritten(), ORDER);
        buffer.putInt(METADATA_DIGEST_OFFSET, superblock.metadataDigest(), ORDER);
        buffer.putLong(NEW_PAGES_OFFSET, superblock.newPages(), ORDER);
        buffer.putLong(MAX_PAGES_OFFSET, superblock.maxPages(), ORDER);
        buffer.putLong(HIGH_WATER_OFFSET, superblock.highWater(), ORDER);
        buffer.putLong(HIGH_WATER_BEFORE_OFFSET, superblock.highWaterBefore(), ORDER);
        if (null != freeMap)
        {
            buffer.putBytes(FREE_MAP_OFFSET, freeMap, 0, FREE_MAP_BYTES);
        }
        buffer.putInt(STORE_ID_LOW_OFFSET, (int)superblock.storeId(), ORDER);
        buffer.putInt(STORE_ID_HIGH_OFFSET, (int)(superblock.storeId() >>> Integer.SIZE), ORDER);
        buffer.putInt(CRC_OFFSET, crc(buffer), ORDER);
    }

    /**
     * Checks magic and format version, the two fields every format keeps in place.
     *
     * @param buffer the superblock page.
     * @param file   the store, for messages.
     * @throws IncompatibleStoreException if the magic is wrong: not a page store.
     * @throws IncompatibleStoreException if the version is newer than {@link FormatVersion#CURRENT} or invalid.
     */
    public static void checkIdentity(final DirectBuffer buffer, final Path file)
    {
        FormatVersion.checkMagic(buffer.getLong(MAGIC_OFFSET, ORDER), file);
        FormatVersion.checkVersion(buffer.getInt(VERSION_OFFSET, ORDER), file);
    }

    /**
     * {@return whether the stored CRC32C matches the superblock's bytes}
     *
     * @param buffer the superblock page.
     */
    public static boolean isCrcValid(final DirectBuffer buffer)
    {
        return buffer.getInt(CRC_OFFSET, ORDER) == crc(buffer);
    }

    /**
     * Decodes a superblock whose identity and CRC were checked.
     *
     * @param buffer the superblock page.
     * @return the values.
     */
    public static Superblock decode(final DirectBuffer buffer)
    {
        final long[] roots = new long[ROOT_SLOTS];
        for (int i = 0; i < ROOT_SLOTS; i++)
        {
            roots[i] = buffer.getLong(ROOTS_OFFSET + i * Long.BYTES, ORDER);
        }
        return new Superblock(
            buffer.getInt(PAGE_SIZE_OFFSET, ORDER),
            buffer.getLong(PAGE_COUNT_OFFSET, ORDER),
            buffer.getLong(METADATA_PAGES_OFFSET, ORDER),
            buffer.getLong(SEQUENCE_OFFSET, ORDER),
            buffer.getInt(CURRENT_COPY_OFFSET, ORDER),
            buffer.getLong(LIVE_PAGES_OFFSET, ORDER),
            roots,
            buffer.getInt(FLAGS_OFFSET, ORDER),
            buffer.getInt(METADATA_WRITTEN_OFFSET, ORDER),
            buffer.getInt(METADATA_DIGEST_OFFSET, ORDER),
            buffer.getLong(NEW_PAGES_OFFSET, ORDER),
            buffer.getLong(MAX_PAGES_OFFSET, ORDER),
            buffer.getLong(HIGH_WATER_OFFSET, ORDER),
            buffer.getLong(HIGH_WATER_BEFORE_OFFSET, ORDER),
            ((long)buffer.getInt(STORE_ID_HIGH_OFFSET, ORDER) << Integer.SIZE) |
            (buffer.getInt(STORE_ID_LOW_OFFSET, ORDER) & 0xFFFF_FFFFL));
    }

    /**
     * {@return a copy of the free map of an encoded superblock} (see {@link #FREE_MAP_OFFSET}).
     *
     * @param buffer the encoded superblock, its CRC32C checked.
     */
    public static byte[] freeMap(final DirectBuffer buffer)
    {
        final byte[] map = new byte[FREE_MAP_BYTES];
        buffer.getBytes(FREE_MAP_OFFSET, map);
        return map;
    }

    /**
     * {@return the bytes of a directory of groups} (see {@link #FLAG_DIRECTORY}), to pass to
     * {@link #encode(MutableDirectBuffer, Superblock, byte[])}.
     *
     * @param groups the groups, ascending, at most {@link #DIRECTORY_CAPACITY}, each below 2^32.
     * @throws IllegalArgumentException if there are too many, or one is out of range.
     */
    public static byte[] directoryBytes(final long[] groups)
    {
        if (groups.length > DIRECTORY_CAPACITY)
        {
            throw new IllegalArgumentException(groups.length + " groups do not fit a directory of " +
                DIRECTORY_CAPACITY);
        }
        final byte[] bytes = new byte[FREE_MAP_BYTES];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        for (int i = 0; i < groups.length; i++)
        {
            if (groups[i] < 0 || groups[i] > 0xFFFF_FFFFL)
            {
                throw new IllegalArgumentException("group=" + groups[i] + " does not fit a directory entry");
            }
            buffer.putInt(i * Integer.BYTES, (int)groups[i], ORDER);
        }
        return bytes;
    }

    /**
     * {@return the directory of the groups a one-flush checkpoint wrote} (see {@link #FLAG_DIRECTORY}).
     *
     * @param buffer     the encoded superblock, its CRC32C checked.
     * @param superblock its decoded values, with {@link #FLAG_DIRECTORY} set and its geometry checked.
     */
    public static long[] directory(final DirectBuffer buffer, final Superblock superblock)
    {
        final long[] groups = new long[superblock.metadataPagesWritten()];
        for (int i = 0; i < groups.length; i++)
        {
            groups[i] = buffer.getInt(DIRECTORY_OFFSET + i * Integer.BYTES, ORDER) & 0xFFFF_FFFFL;
        }
        return groups;
    }

    /**
     * {@return how many groups one bit of the free map covers, for a store of {@code groups} groups below its
     * high-water mark}: 1 up to {@code 8 * FREE_MAP_BYTES} groups, more above.
     *
     * @param groups the high-water mark.
     */
    public static long freeMapSpan(final long groups)
    {
        final long bits = 8L * FREE_MAP_BYTES;
        return Math.max(1, (groups + bits - 1) / bits);
    }

    /**
     * Checks the geometry of a decoded superblock against the file.
     *
     * @param superblock the values.
     * @param fileSize   the size of the file in bytes.
     * @param file       the store, for messages.
     * @throws IncompatibleStoreException if {@code pageSize != 4096}.
     * @throws IncompatibleStoreException if the page count is out of range, the metadata page count disagrees
     *                                    with it, the current copy is not {@code sequence & 1} or the sequence or
     *                                    live page count is out of range.
     * @throws IncompatibleStoreException if {@code fileSize} is not the size the superblock implies (or, for a store
     *                                    that may grow, whole pages more, up to what its maxPages implies).
     */
    public static void checkGeometry(final Superblock superblock, final long fileSize, final Path file)
    {
        if (StoreLayout.PAGE_SIZE != superblock.pageSize())
        {
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.PAGE_SIZE_MISMATCH,
                file + " has pageSize=" + superblock.pageSize() + ", expected " + StoreLayout.PAGE_SIZE);
        }
        final long pageCount = superblock.pageCount();
        if (pageCount < 1 || pageCount > StoreLayout.MAX_PAGE_COUNT ||
            superblock.metadataPages() != MetadataPageDescriptor.metadataPagesFor(pageCount) ||
            superblock.currentCopy() != (superblock.sequence() & 1) || superblock.sequence() < 0 ||
            superblock.livePages() < 0 || superblock.livePages() > pageCount ||
            0 != (superblock.flags() & ~(FLAG_ONE_FLUSH | FLAG_BACKUP | FLAG_CLEAN | FLAG_DIRECTORY)) ||
            (FLAG_ONE_FLUSH | FLAG_CLEAN) == (superblock.flags() & (FLAG_ONE_FLUSH | FLAG_CLEAN)) ||
            FLAG_DIRECTORY == (superblock.flags() & (FLAG_DIRECTORY | FLAG_ONE_FLUSH)) ||
            0 != (superblock.flags() & FLAG_DIRECTORY) && superblock.metadataPagesWritten() > DIRECTORY_CAPACITY ||
            superblock.metadataPagesWritten() < 0 ||
            superblock.metadataPagesWritten() > superblock.metadataPages() || superblock.newPages() < 0 ||
            superblock.newPages() > superblock.livePages() || superblock.maxPages() < pageCount ||
            superblock.maxPages() > StoreLayout.MAX_PAGE_COUNT || superblock.highWater() < 0 ||
            superblock.highWater() > superblock.metadataPages() || superblock.highWaterBefore() < 0 ||
            superblock.highWaterBefore() > superblock.highWater())
        {
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                file + " has an inconsistent superblock: " + superblock);
        }
        final long expected = StoreLayout.fileSizeFor(pageCount);
        // Longer is fine for a store that may grow, by whole pages up to the size maxPages implies: a growth that a
        // crash interrupted before a checkpoint named it leaves a tail, which is never read (nothing durable names it)
        // and is reused by the next growth. (An open that raises maxPages records it before it grows past the old.)
        final boolean tail = fileSize > expected && superblock.maxPages() > pageCount &&
            0 == fileSize % StoreLayout.PAGE_SIZE && fileSize <= StoreLayout.fileSizeFor(superblock.maxPages());
        if (fileSize != expected && !tail)
        {
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.SIZE_MISMATCH,
                file + " has size=" + fileSize + " but its superblock (pageCount=" + pageCount +
                ") requires size=" + expected + (superblock.maxPages() == pageCount ? "" : " (or, after a growth a " +
                "crash interrupted, whole pages up to maxPages=" + superblock.maxPages() + ")"));
        }
    }

    private static int crc(final DirectBuffer buffer)
    {
        final CRC32C crc = new CRC32C();
        final byte[] bytes = new byte[CRC_OFFSET];
        buffer.getBytes(0, bytes);
        crc.update(bytes);
        return (int)crc.getValue();
    }
}

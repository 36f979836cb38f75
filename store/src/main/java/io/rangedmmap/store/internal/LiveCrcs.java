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
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteOrder;

/**
 * The CRC32C of every live page, read where it is durable: the page's entry in the metadata copy of the last
 * published checkpoint, through the mapping (the page cache), so that the store allocates no memory a live page for
 * it (issue 10: at most 1 byte a page; the page table holds half a byte).
 *
 * <p><b>Why the current copy can be read without a lock.</b> Checkpoint {@code N} writes only copy {@code N % 2},
 * which the durable checkpoint {@code N - 1} does not use; copy {@code (N - 1) % 2} is written again only by
 * checkpoint {@code N + 1}, once {@code N} is published. A read races only a reader that picked a copy and was
 * overtaken twice, or one that loaded a page's state in one checkpoint and its entry in the next. Both are caught by
 * a seqlock of two sequences: the leader sets {@link #beginPublish} (release) after a checkpoint is durable and
 * before it changes the page states, and {@link #endPublish} (release) after. A reader loads {@link #stamp()} before
 * the page's state, and on a mismatch asks {@link #unchangedSince(long)}: only a mismatch during which no checkpoint
 * was published, and against the copy of the published one, is corruption; any other is read again.
 *
 * <p><b>Thread safety:</b> any thread; the two sequences are written by the checkpoint leader only.
 */
public final class LiveCrcs
{
    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final ThreadLocal<byte[]> ENTRY = ThreadLocal.withInitial(() -> new byte[Integer.BYTES]);

    private final RawMmapFile file;
    // The checkpoint whose metadata copy readers use: set before the states of a checkpoint are published.
    private volatile long metadata;
    // The checkpoint whose page states are all published: set after them.
    private volatile long published;

    /**
     * Reads the live CRCs of a store opened at checkpoint {@code sequence}.
     *
     * @param file     the store file.
     * @param sequence the checkpoint it opened at.
     */
    public LiveCrcs(final RawMmapFile file, final long sequence)
    {
        this.file = file;
        this.metadata = sequence;
        this.published = sequence;
    }

    /**
     * {@return the stamp of a read: load it before the page's state, and pass it to {@link #unchangedSince(long)}}
     */
    public long stamp()
    {
        // Volatile read: partner of the volatile write in endPublish.
        return published;
    }

    /**
     * {@return whether no checkpoint was published since {@code stamp} was loaded, and none was being published}: a
     * read that loaded a page's state and its CRC32C after the stamp, and whose bytes do not match it, found
     * corruption; otherwise it reads again.
     *
     * @param stamp from {@link #stamp()}.
     */
    public boolean unchangedSince(final long stamp)
    {
        // The entry and the bytes were loaded by plain loads, which must not pass the loads below. Their partner is the
        // volatile write in beginPublish together with what orders the next checkpoint's writes of this copy after
        // it: the leader publishes (endPublish), releases the coordinator's lock and makes system calls (pwrite,
        // msync) before any byte of that copy is written again.
        UnsafeApi.loadFence();
        return stamp == metadata && stamp == published;
    }

    /**
     * Starts publishing a durable checkpoint: from now on readers take CRCs from its copy. Before its page states
     * change; by the checkpoint leader.
     *
     * @param sequence the checkpoint.
     */
    public void beginPublish(final long sequence)
    {
        // Volatile write: partner of the volatile reads in crcIn and unchangedSince.
        metadata = sequence;
    }

    /**
     * Ends publishing a checkpoint: its page states are all published. By the checkpoint leader.
     *
     * @param sequence the checkpoint.
     */
    public void endPublish(final long sequence)
    {
        // Volatile write: partner of the volatile reads in stamp and unchangedSince.
        published = sequence;
    }

    /**
     * {@return the file offset of the first of a group's two metadata pages}: where a read that takes a page's
     * CRC32C from its entry starts its view (the two copies, then the group's user pages up to the page).
     *
     * @param group the page's group, {@code page / StoreLayout.GROUP_USER_PAGES}.
     */
    public static long spanStart(final long group)
    {
        return StoreLayout.metadataOffsetOf(0, group);
    }

    /**
     * {@return the length of the view from {@link #spanStart(long)} to the end of the page at {@code index} in its
     * group}: the two metadata pages and the user pages up to it.
     *
     * @param index the page's index in its group, {@code page % StoreLayout.GROUP_USER_PAGES}.
     */
    public static int spanLength(final int index)
    {
        return (2 + index + 1) * StoreLayout.PAGE_SIZE;
    }

    /**
     * {@return the offset of the CRC32C of the page at {@code index} in its group, in a metadata page}
     *
     * @param index the page's index in its group.
     */
    public static int entryCrcOffset(final int index)
    {
        return MetadataPageDescriptor.HEADER_LENGTH + index * MetadataPageDescriptor.ENTRY_LENGTH +
            MetadataPageDescriptor.ENTRY_CRC_OFFSET;
    }

    /**
     * {@return the CRC32C in a live page's entry, from a view that starts at {@link #spanStart(long)}}: for a read
     * inside the mapping's access gate. Zero if the entry is free (the page's free was published meanwhile).
     *
     * @param span           the view, from the group's first metadata page.
     * @param entryCrcOffset the offset of the page's CRC32C in a metadata page, {@link #entryCrcOffset(int)}.
     */
    public int crcIn(final DirectBuffer span, final int entryCrcOffset)
    {
        // Volatile read: partner of the volatile write in beginPublish.
        final int copy = (int)(metadata & 1);
        return span.getInt(copy * StoreLayout.PAGE_SIZE + entryCrcOffset, ORDER);
    }

    /**
     * {@return the CRC32C in a live page's entry}: read through the mapping's access gate; for the reads that do not
     * read the page's bytes in the same gate (verify, backups, receipts). The caller knows the page live and that no
     * checkpoint can change it, or checks {@link #unchangedSince(long)}.
     *
     * @param page the page.
     * @throws io.rangedmmap.mmap.MappingFaultException if the mapping faults.
     */
    public int crc(final long page)
    {
        final byte[] entry = ENTRY.get();
        final int copy = (int)(metadata & 1);
        file.readAt(StoreLayout.metadataOffsetOf(copy, MetadataPageDescriptor.tablePageOf(page)) +
            MetadataPageDescriptor.entryOffset(page) + MetadataPageDescriptor.ENTRY_CRC_OFFSET, entry);
        return (entry[0] & 0xFF) | (entry[1] & 0xFF) << 8 | (entry[2] & 0xFF) << 16 | (entry[3] & 0xFF) << 24;
    }
}

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
package io.rangedmmap.store;

import io.rangedmmap.mmap.MappingFaultException;
import io.rangedmmap.mmap.RangeReader;
import io.rangedmmap.store.internal.LiveCrcs;
import io.rangedmmap.store.internal.PageLifetimes;
import io.rangedmmap.store.internal.PageTable;
import io.rangedmmap.store.internal.format.StoreLayout;

import java.nio.ByteBuffer;

/**
 * The one read path of a page, for the store and its snapshots: a copy into an array or a buffer, or a view passed to
 * the caller's reader, each checked against the page's CRC32C inside one entry of the mapping's access gate
 * ({@link CheckingReader}).
 *
 * <p><b>A mismatch is read again unless it is corruption.</b> A live page's CRC32C is read from the metadata copy of
 * the last published checkpoint ({@link LiveCrcs}), a written page's from its tag. A checkpoint published during the
 * read may have moved either (the page made live, its tag given back; the page freed, its entry cleared; the copy
 * read overwritten by the checkpoint after). So a read whose bytes do not match loads the page's state and the
 * published checkpoint again: if neither changed since before the read, the page is corrupt
 * ({@link CorruptPageException}); otherwise the read starts over, and finds the page's new state (which may no longer
 * be readable: {@link IllegalStateException}). The bytes themselves do not change while the page stays readable.
 */
final class PageReads
{
    private PageReads()
    {
    }

    static void read(final PageStore store, final long pageId, final byte[] dst)
    {
        read(store, pageId, null, 0, dst, null, null);
    }

    static void read(final PageStore store, final long pageId, final ByteBuffer dst)
    {
        checkWritable(dst);
        read(store, pageId, null, 0, null, dst, null);
        dst.position(dst.position() + PageStore.PAGE_SIZE);
    }

    static void read(final PageStore store, final long pageId, final RangeReader reader)
    {
        read(store, pageId, null, 0, null, null, reader);
    }

    /**
     * Reads a page of a snapshot pinned at {@code sequence}: the reader checks, inside the access gate, that the page
     * was live there, and takes its CRC32C from {@code lifetimes} if it was freed since.
     */
    static void readLiveAt(final PageStore store, final PageLifetimes lifetimes, final long sequence,
        final long page, final byte[] array, final ByteBuffer buffer, final RangeReader reader)
    {
        if (null != buffer)
        {
            checkWritable(buffer);
        }
        read(store, page, lifetimes, sequence, array, buffer, reader);
        if (null != buffer)
        {
            buffer.position(buffer.position() + PageStore.PAGE_SIZE);
        }
    }

    private static void read(final PageStore store, final long pageId, final PageLifetimes lifetimes,
        final long sequence, final byte[] array, final ByteBuffer buffer, final RangeReader user)
    {
        final PageTable table = store.table();
        final LiveCrcs liveCrcs = store.liveCrcs();
        // One division for the page's group and index; the view's bounds and the entry's offset follow from them.
        final long group = pageId / StoreLayout.GROUP_USER_PAGES;
        final int index = (int)(pageId - group * StoreLayout.GROUP_USER_PAGES);
        final long start = LiveCrcs.spanStart(group);
        final int length = LiveCrcs.spanLength(index);
        final int entryCrcOffset = LiveCrcs.entryCrcOffset(index);
        while (true)
        {
            // Before the state: partner of the seqlock in LiveCrcs.
            final long stamp = liveCrcs.stamp();
            final int word = null == lifetimes ? readable(store, table, pageId) : 0;
            final CheckingReader checking = CheckingReader.arm(store, pageId, entryCrcOffset, word, lifetimes,
                sequence, array, buffer, user);
            final int expected;
            final int actual;
            try
            {
                store.file().readAt(start, length, checking);
            }
            catch (final MappingFaultException ex)
            {
                throw store.lifecycle().fail(ex);
            }
            finally
            {
                expected = checking.expected();
                actual = checking.actual();
                checking.disarm();
            }
            if (expected == actual)
            {
                return;
            }
            if (liveCrcs.unchangedSince(stamp) && (null != lifetimes || table.stateAcquire(pageId) == word))
            {
                throw new CorruptPageException(store.path().toString(), pageId, expected, actual);
            }
        }
    }

    /**
     * {@return the state word of {@code pageId}, once checked to be a page of the open store that can be read:
     * written (by any writer of this store instance) or live, possibly with a staged free}
     */
    static int readable(final PageStore store, final PageTable table, final long pageId)
    {
        store.lifecycle().checkOpen();
        final long page = store.checkPageId(pageId);
        final int word = table.stateAcquire(page);
        final int state = PageTable.stateOf(word);
        if (PageTable.WRITTEN != state && PageTable.LIVE != state && PageTable.FREEING != state)
        {
            throw new IllegalStateException("page=" + pageId + " of " + store.path() + " cannot be read: it is " +
                (PageTable.FREE == state ? "free" : "allocated but not yet written"));
        }
        return word;
    }

    /**
     * Refuses a read-only buffer before anything is read: the copy writes through its array or address, which a
     * read-only buffer only hides.
     */
    private static void checkWritable(final ByteBuffer dst)
    {
        if (dst.isReadOnly())
        {
            throw new IllegalArgumentException("dst is a read-only buffer; pass a writable one");
        }
    }

    static void checkLength(final int length, final String name)
    {
        if (PageStore.PAGE_SIZE != length)
        {
            throw new IllegalArgumentException(name + "=" + length + " must equal PAGE_SIZE=" + PageStore.PAGE_SIZE);
        }
    }
}

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
import io.rangedmmap.store.internal.Crc;
import io.rangedmmap.store.internal.PageLifetimes;
import io.rangedmmap.store.internal.PageTable;

import java.nio.ByteBuffer;

/**
 * The three page reads (into an array, into a buffer, in place) of a page the caller proved readable, shared by
 * {@link PageStore} and {@link StoreSnapshot}: the copy out of the mapping (a fault fails the store) and the check
 * against the page's expected CRC32C.
 *
 * <p>The caller loads the expected CRC32C right after the load that proved the page readable, before the copy: a
 * snapshot proves it from the page's state in the page table and, for a page changed while a snapshot is open, its
 * entry in the lifetimes (a table of the pages changed meanwhile), and takes the CRC from the line of the state,
 * already loaded, where a CRC loaded after the copy would miss alone behind the copy and the access gate's full fences
 * (the store's own read finds its CRC on the line of the page's state too). The CRC loaded first is the one the
 * bytes must match: the page is not rewritten while it stays readable to the caller. A snapshot's in-place read goes
 * further and checks the page's lifetimes and loads its CRC inside the gate ({@link #readLiveAt}), where those misses
 * also overlap the loads of the page's bytes.
 */
final class PageReads
{
    private PageReads()
    {
    }

    static void read(final PageStore store, final long page, final int expected, final byte[] dst)
    {
        try
        {
            store.file().readAt(store.layout().dataOffset(page), dst);
        }
        catch (final MappingFaultException ex)
        {
            throw store.lifecycle().fail(ex);
        }
        checkCrc(store, page, expected, Crc.of(dst));
    }

    static void read(final PageStore store, final long page, final int expected, final ByteBuffer dst)
    {
        final int position = dst.position();
        try
        {
            store.file().readAt(store.layout().dataOffset(page), dst);
        }
        catch (final MappingFaultException ex)
        {
            throw store.lifecycle().fail(ex);
        }
        dst.position(position);
        final int actual = Crc.of(dst);
        dst.position(position + PageStore.PAGE_SIZE);
        checkCrc(store, page, expected, actual);
    }

    static void read(final PageStore store, final long page, final int expected, final RangeReader reader)
    {
        readChecked(store, page, CheckingReader.arm(expected, store.path(), page, reader, store.callbacks()));
    }

    /**
     * Reads a page of a snapshot in place: {@code checking}, armed for it, checks inside the access gate that the
     * page was live in the snapshot's checkpoint (see {@link CheckingReader#armLiveAt}).
     */
    static void readLiveAt(final PageStore store, final PageLifetimes lifetimes, final long sequence, final long page,
        final RangeReader reader)
    {
        readChecked(store, page,
            CheckingReader.armLiveAt(lifetimes, sequence, store.path(), page, reader, store.callbacks()));
    }

    private static void readChecked(final PageStore store, final long page, final CheckingReader checking)
    {
        try
        {
            store.file().readAt(store.layout().dataOffset(page), PageStore.PAGE_SIZE, checking);
        }
        catch (final MappingFaultException ex)
        {
            throw store.lifecycle().fail(ex);
        }
        finally
        {
            checking.disarm();
        }
    }

    /**
     * {@return {@code pageId}, once checked to be a page of the open store that can be read: written (by any writer
     * of this store instance) or live, possibly with a staged free}
     */
    static long readable(final PageStore store, final PageTable table, final long pageId)
    {
        store.lifecycle().checkOpen();
        final long page = store.checkPageId(pageId);
        final int state = PageTable.stateOf(table.stateAcquire(page));
        if (PageTable.WRITTEN != state && PageTable.LIVE != state && PageTable.FREEING != state)
        {
            throw new IllegalStateException("page=" + pageId + " of " + store.path() + " cannot be read: it is " +
                (PageTable.FREE == state ? "free" : "allocated but not yet written"));
        }
        return page;
    }

    static void checkLength(final int length, final String name)
    {
        if (PageStore.PAGE_SIZE != length)
        {
            throw new IllegalArgumentException(name + "=" + length + " must equal PAGE_SIZE=" + PageStore.PAGE_SIZE);
        }
    }

    private static void checkCrc(final PageStore store, final long page, final int expected, final int actual)
    {
        if (expected != actual)
        {
            throw new CorruptPageException(store.path().toString(), page, expected, actual);
        }
    }
}

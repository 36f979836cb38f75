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

import io.rangedmmap.mmap.NativeCallException;
import io.rangedmmap.mmap.internal.NativeIo;
import io.rangedmmap.store.internal.format.StoreLayout;
import org.agrona.UnsafeApi;

import java.lang.ref.Cleaner;

/**
 * The last checkpoint that made a page live or freed one, per group of {@link StoreLayout#GROUP_USER_PAGES} pages
 * (one metadata page) and per chunk of {@link #CHUNK_PAGES} pages: what lets an incremental backup skip, without
 * looking at its pages, every group unchanged since the backup's checkpoint, and, in a changed group, take without
 * comparing them the pages of the chunks unchanged since. What happened before the store was opened is known per
 * group only, from the {@link GroupSequences} of the open.
 *
 * <p>One {@code long} a group and one a chunk (about 0.14 bytes a page), off the Java heap like the
 * {@link PageTable}: address space is reserved for the table's capacity (its maxPages) and only the entries of
 * groups and chunks changed since the open are touched, so memory follows the pages changed, and growth needs nothing
 * here (an untouched entry reads zero: not changed since the open).
 *
 * <p><b>Thread safety:</b> written only by the checkpoint leader (one at a time), before it publishes the checkpoint;
 * read by any thread. Each entry is written with a release store and read with an acquire load; a reader that pinned
 * a checkpoint {@code S} (a volatile read of the registry's durable checkpoint, written after this) sees every entry
 * of the checkpoints up to {@code S}.
 */
public final class PageChanges
{
    /**
     * The pages of a chunk: a changed chunk costs an incremental backup the comparison of its pages live in both.
     */
    public static final int CHUNK_PAGES = 64;

    private static final Cleaner CLEANER = Cleaner.create();

    private final GroupSequences atOpen;
    private final long groupsAddress;
    private final long chunksAddress;

    /**
     * Reserves the tables for a store of up to {@code capacity} pages.
     *
     * @param capacity the most pages the store can grow to (its page table's capacity).
     * @param atOpen   the groups' last changes before the open.
     */
    public PageChanges(final long capacity, final GroupSequences atOpen)
    {
        this.atOpen = atOpen;
        final long pages = Math.max(1, capacity);
        final long groupBytes = divideUp(pages, StoreLayout.GROUP_USER_PAGES) * Long.BYTES;
        final long bytes = groupBytes + divideUp(pages, CHUNK_PAGES) * Long.BYTES;
        final long address;
        try
        {
            address = NativeIo.mmapAnonymous(bytes);
        }
        catch (final NativeCallException ex)
        {
            throw new IllegalStateException("cannot reserve " + bytes + " bytes for the change tables of " +
                capacity + " pages", ex);
        }
        groupsAddress = address;
        chunksAddress = address + groupBytes;
        CLEANER.register(this, () -> unmap(address, bytes));
        // Published to other threads with the store itself (final fields, and the open's happens-before).
    }

    private static long divideUp(final long value, final long divisor)
    {
        return (value + divisor - 1) / divisor;
    }

    private static void unmap(final long address, final long bytes)
    {
        try
        {
            NativeIo.munmap(address, bytes);
        }
        catch (final NativeCallException ex)
        {
            // Nothing refers to the memory any more: a failed munmap only leaks address space.
        }
    }

    /**
     * {@return whether a page of the group may have been made live or freed by a checkpoint after {@code sequence}}:
     * {@code false} only if none was.
     *
     * @param group    the group (its metadata page's index).
     * @param sequence a checkpoint.
     */
    public boolean groupChangedAfter(final long group, final long sequence)
    {
        return Math.max(atOpen.sequenceOf(group), load(groupsAddress, group)) > sequence;
    }

    /**
     * {@return whether the page's bytes are known to have been live since checkpoint {@code sequence} or before}:
     * {@code false} when its group changed after {@code sequence} before the open, or its chunk after the open,
     * though the page itself may not have.
     *
     * @param page     the page, live.
     * @param sequence a checkpoint.
     */
    public boolean unchangedSince(final long page, final long sequence)
    {
        final long group = page / StoreLayout.GROUP_USER_PAGES;
        return Math.max(atOpen.sequenceOf(group), load(chunksAddress, page / CHUNK_PAGES)) <= sequence;
    }

    /**
     * Records what checkpoint {@code sequence} made live and freed, before it is published.
     *
     * @param sequence the checkpoint.
     * @param pages    the pages it made live.
     * @param frees    the pages it freed.
     */
    public void record(final long sequence, final long[] pages, final long[] frees)
    {
        for (final long page : pages)
        {
            changed(page, sequence);
        }
        for (final long page : frees)
        {
            changed(page, sequence);
        }
    }

    private void changed(final long page, final long sequence)
    {
        store(groupsAddress, page / StoreLayout.GROUP_USER_PAGES, sequence);
        store(chunksAddress, page / CHUNK_PAGES, sequence);
    }

    private static long load(final long table, final long index)
    {
        // Acquire: partner of the release in store. Zero (not changed since the open) decodes as NONE.
        final long stored = UnsafeApi.getLongAcquire(null, table + index * Long.BYTES);
        return 0 == stored ? GroupSequences.NONE : stored - 1;
    }

    private static void store(final long table, final long index, final long sequence)
    {
        final long entry = table + index * Long.BYTES;
        // Only the leader writes: a plain read of its own last write, then release (partner of load). Sequences only
        // grow, so the entry keeps the last change; stored as sequence + 1 so that zero reads "not changed".
        if (UnsafeApi.getLong(entry) != sequence + 1)
        {
            UnsafeApi.putLongRelease(null, entry, sequence + 1);
        }
    }
}

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
import org.agrona.UnsafeApi;

import java.lang.ref.Cleaner;

/**
 * For each user page, the checkpoint that made its current bytes live and the checkpoint that freed them: what a
 * snapshot pinned at checkpoint {@code S} needs to tell whether a page was live at {@code S} ({@code liveSince <= S
 * < freedAt}). Its CRC32C comes from the store's {@link PageCrcs}: a page live at {@code S} keeps its bytes and CRC
 * while any snapshot that can see it is open, because its space is not reused until then (see
 * {@link SnapshotRegistry}).
 *
 * <p>Two {@code long}s a page, off the Java heap like the {@link PageTable}: address space is reserved for the
 * table's capacity (its maxPages) and only the entries of pages ever made live are touched, so memory follows the
 * pages used, and growth needs nothing here (an untouched entry reads zero: never live, never freed). A page live
 * when the store was opened is recorded as live since {@link #BEFORE_OPEN}: every snapshot of this store instance
 * sees it, and how long it has been unchanged is known only from the checkpoint the store opened at.
 *
 * <p><b>Thread safety:</b> written only by the checkpoint leader (one at a time), read by any thread. A page made
 * live again writes {@code liveSince} before {@code freedAt} (both release); a reader loads {@code freedAt} before
 * {@code liveSince} (both acquire), so a reader that sees the new {@code freedAt} also sees the new {@code liveSince}.
 * Every value written after a snapshot at {@code S} was pinned is above {@code S}, so a torn pair never makes a page
 * visible that was not live at {@code S}.
 */
public final class PageLifetimes implements PageCrcs
{
    /**
     * The {@code liveSince} of a page that was live when the store was opened.
     */
    public static final long BEFORE_OPEN = -1;

    private static final long NEVER = Long.MAX_VALUE;
    private static final int ENTRY_BYTES = 2 * Long.BYTES;
    private static final Cleaner CLEANER = Cleaner.create();

    private final PageCrcs crcs;
    private final long openSequence;
    private final long address;

    /**
     * Records the pages live in {@code table} as live since before the open.
     *
     * @param table        the store's page table, just recovered.
     * @param openSequence the checkpoint the store opened at.
     */
    public PageLifetimes(final PageTable table, final long openSequence)
    {
        this.crcs = table;
        this.openSequence = openSequence;
        final long bytes = Math.max(1, table.capacity()) * ENTRY_BYTES;
        try
        {
            address = NativeIo.mmapAnonymous(bytes);
        }
        catch (final NativeCallException ex)
        {
            throw new IllegalStateException("cannot reserve " + bytes + " bytes for the page lifetimes of " +
                table.capacity() + " pages", ex);
        }
        final long reserved = address;
        CLEANER.register(this, () -> unmap(reserved, bytes));
        final long size = table.size();
        for (long page = 0; page < size; page++)
        {
            if (PageTable.LIVE == PageTable.stateOf(table.statePlain(page)))
            {
                UnsafeApi.putLong(address + page * ENTRY_BYTES, encode(BEFORE_OPEN));
            }
        }
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

    // Stored as value + 2, so that zero (an untouched entry) reads NEVER and BEFORE_OPEN (-1) is 1.
    private static long encode(final long sequence)
    {
        return NEVER == sequence ? 0 : sequence + 2;
    }

    private static long decode(final long stored)
    {
        return 0 == stored ? NEVER : stored - 2;
    }

    @Override
    public int crc(final long page)
    {
        return crcs.crc(page);
    }

    /**
     * {@return whether the page's current bytes were live at checkpoint {@code sequence}}
     *
     * @param page     the page.
     * @param sequence a checkpoint pinned by a snapshot, at or after the one the store opened at.
     */
    public boolean liveAt(final long page, final long sequence)
    {
        // Acquire: partner of the release of freedAt in madeLive; liveSince read after it is at least as new.
        final long freedAt = decode(UnsafeApi.getLongAcquire(null, address + page * ENTRY_BYTES + Long.BYTES));
        final long liveSince = decode(UnsafeApi.getLongAcquire(null, address + page * ENTRY_BYTES));
        return liveSince <= sequence && sequence < freedAt;
    }

    /**
     * {@return whether the page's current bytes have been live since checkpoint {@code sequence} or before}
     *
     * @param page     the page, live now.
     * @param sequence a checkpoint.
     */
    public boolean unchangedSince(final long page, final long sequence)
    {
        final long liveSince = decode(UnsafeApi.getLongAcquire(null, address + page * ENTRY_BYTES));
        return BEFORE_OPEN == liveSince ? openSequence <= sequence : liveSince <= sequence;
    }

    /**
     * Records that checkpoint {@code sequence} made the page live with new bytes.
     *
     * @param page     the page.
     * @param sequence the checkpoint.
     */
    public void madeLive(final long page, final long sequence)
    {
        // Release, liveSince first: a reader that sees the new freedAt (acquire in liveAt) sees the new liveSince.
        UnsafeApi.putLongRelease(null, address + page * ENTRY_BYTES, encode(sequence));
        UnsafeApi.putLongRelease(null, address + page * ENTRY_BYTES + Long.BYTES, encode(NEVER));
    }

    /**
     * Records that checkpoint {@code sequence} freed the page.
     *
     * @param page     the page.
     * @param sequence the checkpoint.
     */
    public void freed(final long page, final long sequence)
    {
        // Release: partner of the acquire in liveAt.
        UnsafeApi.putLongRelease(null, address + page * ENTRY_BYTES + Long.BYTES, encode(sequence));
    }
}

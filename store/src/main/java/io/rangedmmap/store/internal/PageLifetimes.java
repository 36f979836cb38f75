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
 * For each user page, the checkpoint that made its current bytes live and the checkpoint that freed them: what a
 * snapshot pinned at checkpoint {@code S} needs to tell whether a page was live at {@code S} ({@code liveSince <= S
 * < freedAt}). Its CRC32C comes from the store's {@link PageCrcs}: a page live at {@code S} keeps its bytes and CRC
 * while any snapshot that can see it is open, because its space is not reused until then (see
 * {@link SnapshotRegistry}). For each group of {@link StoreLayout#GROUP_USER_PAGES} pages (one metadata page), the
 * last checkpoint that made a page of it live or freed one: what lets an incremental backup skip, without looking at
 * its pages, every group unchanged since the backup's checkpoint.
 *
 * <p>Two {@code long}s a page and one a group, off the Java heap like the {@link PageTable}: address space is
 * reserved for the table's capacity (its maxPages) and only the entries of pages ever made live are touched, so
 * memory follows the pages used, and growth needs nothing here (an untouched entry reads zero: never live, never
 * freed, never changed). What happened before the store was opened is known per group only: the sequence carried by
 * the group's metadata page of the copy the store opened at, an upper bound of the last checkpoint that changed the
 * group (a checkpoint writes the metadata page of every group it changes, and the next one writes the other copy's:
 * see {@link Checkpointer}). A page live at open is recorded as live since that bound: every snapshot of this store
 * instance sees it (the bound is at most the checkpoint the store opened at), and it is known unchanged since any
 * checkpoint at or after the bound.
 *
 * <p><b>Thread safety:</b> written only by the checkpoint leader (one at a time), read by any thread. A page made
 * live again writes {@code liveSince} before {@code freedAt} (both release); a reader loads {@code freedAt} before
 * {@code liveSince} (both acquire), so a reader that sees the new {@code freedAt} also sees the new {@code liveSince}.
 * Every value written after a snapshot at {@code S} was pinned is above {@code S}, so a torn pair never makes a page
 * visible that was not live at {@code S}. A group's entry is written (release) after its pages' entries; a reader
 * that pinned {@code S} sees every entry of the checkpoints up to {@code S}, which were recorded before {@code S} was
 * published.
 */
public final class PageLifetimes implements PageCrcs
{
    private static final long NEVER = Long.MAX_VALUE;
    private static final int ENTRY_BYTES = 2 * Long.BYTES;
    private static final Cleaner CLEANER = Cleaner.create();

    private final PageCrcs crcs;
    private final long address;
    private final long groupsAddress;

    /**
     * Records the groups' last changes as the metadata says, and the pages live in {@code table} as live since the
     * last change of their group.
     *
     * @param table          the store's page table, just recovered.
     * @param groupSequences for each group the open read (those below the high-water mark), the sequence of its
     *                       metadata page in the copy the store opened at; the other groups never held a live page.
     */
    public PageLifetimes(final PageTable table, final long[] groupSequences)
    {
        this.crcs = table;
        final long groups = groupsFor(Math.max(1, table.capacity()));
        final long pageBytes = Math.max(1, table.capacity()) * ENTRY_BYTES;
        final long bytes = pageBytes + groups * Long.BYTES;
        try
        {
            address = NativeIo.mmapAnonymous(bytes);
        }
        catch (final NativeCallException ex)
        {
            throw new IllegalStateException("cannot reserve " + bytes + " bytes for the page lifetimes of " +
                table.capacity() + " pages", ex);
        }
        groupsAddress = address + pageBytes;
        final long reserved = address;
        CLEANER.register(this, () -> unmap(reserved, bytes));
        final long size = table.size();
        for (long group = 0; group < groupSequences.length; group++)
        {
            final long sequence = groupSequences[(int)group];
            UnsafeApi.putLong(groupsAddress + group * Long.BYTES, encode(sequence));
            final long end = Math.min(size, (group + 1) * StoreLayout.GROUP_USER_PAGES);
            for (long page = group * StoreLayout.GROUP_USER_PAGES; page < end; page++)
            {
                if (PageTable.LIVE == PageTable.stateOf(table.statePlain(page)))
                {
                    UnsafeApi.putLong(address + page * ENTRY_BYTES, encode(sequence));
                }
            }
        }
        // Published to other threads with the store itself (final fields, and the open's happens-before).
    }

    private static long groupsFor(final long pages)
    {
        return (pages + StoreLayout.GROUP_USER_PAGES - 1) / StoreLayout.GROUP_USER_PAGES;
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

    // Stored as value + 2, so that zero (an untouched entry) reads NEVER.
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
     * {@return whether the page's current bytes are known to have been live since checkpoint {@code sequence} or
     * before}: {@code false} for a page live at open whose group changed after {@code sequence}, though the page
     * itself may not have.
     *
     * @param page     the page, live now.
     * @param sequence a checkpoint.
     */
    public boolean unchangedSince(final long page, final long sequence)
    {
        return decode(UnsafeApi.getLongAcquire(null, address + page * ENTRY_BYTES)) <= sequence;
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
        // Acquire: partner of the release in touch. Zero (never changed) decodes as NEVER: tested apart.
        final long stored = UnsafeApi.getLongAcquire(null, groupsAddress + group * Long.BYTES);
        return 0 != stored && decode(stored) > sequence;
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
        touch(page, sequence);
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
        touch(page, sequence);
    }

    private void touch(final long page, final long sequence)
    {
        final long entry = groupsAddress + (page / StoreLayout.GROUP_USER_PAGES) * Long.BYTES;
        // Only the leader writes: a plain read of its own last write, then release (partner of groupChangedAfter).
        final long stored = UnsafeApi.getLong(entry);
        if (0 == stored || decode(stored) < sequence)
        {
            UnsafeApi.putLongRelease(null, entry, encode(sequence));
        }
    }
}

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
import io.rangedmmap.store.IncompatibleStoreException;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The comparison of the two metadata copies that a lazy open after a crash left undone ({@link Recovery}): the groups
 * below the high-water mark in which the other copy differs from the current one (a crash may have left it
 * half-written), which the first checkpoint must rewrite there, since the copy it writes becomes the current one.
 * Done once, when the first checkpoint (or an incremental backup into the store, or {@code verify}) asks for it:
 * open's work stays bounded by what the newest checkpoint wrote, and this work, which grows with the part of the
 * store ever used (two metadata pages a group, read with one {@code pread}), is done at most once a run, and only
 * by a run that writes.
 *
 * <p>It also finishes what the full open checks: each group is loaded through the page table's gate, so its page in
 * the current copy is checked as at its first touch ({@link LazyGroups}; a damaged one fails the store), and the live
 * entries of all of them must add up to the superblock's live count, else the store fails with
 * {@link IncompatibleStoreException} ({@code CORRUPT_METADATA}) as its cause, before anything is written.
 *
 * <p><b>Thread safety:</b> {@link #get()} from any thread; the first call does the work, under this object's monitor,
 * and the others wait for it. Nothing writes metadata meanwhile: the first checkpoint, and an incremental backup,
 * call it before they write.
 */
public final class StaleGroups implements Supplier<long[]>
{
    private final RawMmapFile file;
    private final Path path;
    private final StoreLayout layout;
    private final Superblock superblock;
    private final PageTable table;
    private final Lifecycle lifecycle;
    private long[] found;

    /**
     * Creates the comparison for a store opened lazily after a crash.
     *
     * @param file       the store file.
     * @param path       the store, for messages.
     * @param layout     the layout it opened with.
     * @param superblock the superblock it opened at: its copy, sequence, high-water mark and live count.
     * @param table      its page table, whose gate loads and checks each group.
     * @param lifecycle  the store's, failed by a live count that does not add up.
     */
    public StaleGroups(final RawMmapFile file, final Path path, final StoreLayout layout, final Superblock superblock,
        final PageTable table, final Lifecycle lifecycle)
    {
        this.file = file;
        this.path = path;
        this.layout = layout;
        this.superblock = superblock;
        this.table = table;
        this.lifecycle = lifecycle;
    }

    /**
     * {@return the groups in which the other copy differs from the current one, ascending}: compared at the first
     * call.
     *
     * @throws RuntimeException the store's failure ({@link io.rangedmmap.store.StoreFailedException}) if a group
     *                          fails its check or the live entries do not add up to the superblock's count.
     */
    @Override
    public synchronized long[] get()
    {
        if (null == found)
        {
            found = compare();
        }
        return found.clone();
    }

    private long[] compare()
    {
        final GroupPages pages = new GroupPages();
        final LongArrayList stale = new LongArrayList();
        long live = 0;
        for (long group = 0; group < superblock.highWater(); group++)
        {
            // Through the gate: loads and checks the group if nothing touched it yet (a damaged page fails the store
            // there), so the bytes read below are a checked page's (nothing writes metadata before this returns).
            table.groupSequence(group);
            pages.readBoth(file, layout, group, superblock.currentCopy());
            live += liveEntries(pages.current);
            if (pages.otherDiffers(group, superblock.sequence()))
            {
                stale.addLong(group);
            }
        }
        if (live != superblock.livePages())
        {
            throw lifecycle.fail(new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                path + ": the metadata table has " + live + " live pages but the superblock of checkpoint " +
                superblock.sequence() + " says livePages=" + superblock.livePages() + " (found comparing the copies " +
                "before the first checkpoint after a crash)"));
        }
        return stale.toLongArray();
    }

    private static long liveEntries(final UnsafeBuffer page)
    {
        long live = 0;
        for (int offset = MetadataPageDescriptor.HEADER_LENGTH + MetadataPageDescriptor.ENTRY_FLAGS_OFFSET;
            offset < MetadataPageDescriptor.HEADER_LENGTH +
                MetadataPageDescriptor.ENTRIES_PER_PAGE * MetadataPageDescriptor.ENTRY_LENGTH;
            offset += MetadataPageDescriptor.ENTRY_LENGTH)
        {
            // A checked page's entries are live or zero, and live only below the page count (Recovery.load).
            if (MetadataPageDescriptor.FLAG_LIVE == page.getInt(offset, ByteOrder.LITTLE_ENDIAN))
            {
                live++;
            }
        }
        return live;
    }
}

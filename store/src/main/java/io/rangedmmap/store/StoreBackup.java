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

import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.internal.BackupWriter;
import io.rangedmmap.store.internal.Formatter;
import io.rangedmmap.store.internal.LiveCrcs;
import io.rangedmmap.store.internal.PageChanges;
import io.rangedmmap.store.internal.PageLifetimes;
import io.rangedmmap.store.internal.PageTable;
import io.rangedmmap.store.internal.PwriteStoreIo;
import io.rangedmmap.store.internal.StoreIo;
import io.rangedmmap.store.internal.UndoJournal;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Full and incremental backups of a store, through a {@link StoreSnapshot}: the pinned checkpoint's live pages, its
 * metadata and its roots, written under the source's page ids and store id, so that the backup is a store of its
 * own that opens at the source's sequence.
 *
 * <p><b>Thread safety:</b> each call is confined to its thread; any number may run at once beside writers,
 * checkpoints and readers of the source (the snapshot holds back the reuse of the pages it copies).
 */
final class StoreBackup
{
    /**
     * How often, in page ids scanned, the progress listener is told.
     */
    private static final int PROGRESS_EVERY = 4096;

    /**
     * How often, in groups passed, an incremental backup tells the progress listener.
     */
    private static final int PROGRESS_GROUPS = 8;

    private StoreBackup()
    {
    }

    /**
     * Writes a new store at {@code target} holding the newest durable checkpoint of {@code store}.
     */
    static Checkpoint full(final PageStore store, final Path target, final LongConsumer progress) throws IOException
    {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(progress, "progress");
        final long start = System.nanoTime();
        final Path absolute = target.toAbsolutePath();
        checkDirectory(absolute);
        try (StoreSnapshot snapshot = store.snapshot())
        {
            final PageLifetimes lifetimes = snapshot.lifetimes();
            final long sequence = snapshot.sequence();
            final BackupWriter.Source source = sourceOf(lifetimes, sequence);
            // Pages copied, metadata pages written, the last live page.
            final long[] written = new long[3];
            Formatter.format(absolute, store.pageCount(), store.pageCount(), StoreIo.DIRECT, false, store.storeId(),
                (file, layout) ->
            {
                final byte[] page = new byte[StoreLayout.PAGE_SIZE];
                for (long id = 0; id < layout.pageCount(); id++)
                {
                    if (source.live(id))
                    {
                        snapshot.read(id, page);
                        file.writeAt(layout.dataOffset(id), page);
                        written[0]++;
                        written[2] = id;
                    }
                    tell(progress, id);
                }
                final long highWater = 0 == written[0] ? 0 : MetadataPageDescriptor.tablePageOf(written[2]) + 1;
                final BackupWriter.Plan plan = BackupWriter.plan(file, layout, sequence, source, null, written[0],
                    highWater);
                BackupWriter.apply(file, StoreIo.DIRECT, layout, plan, rootsOf(snapshot), store.storeId());
                written[1] = plan.tablePages().length;
            });
            progress.accept(store.pageCount());
            return new Checkpoint(sequence, written[0], written[1], (written[0] + written[1] + 1) *
                StoreLayout.PAGE_SIZE, System.nanoTime() - start);
        }
    }

    /**
     * Brings the backup at {@code backup} up to the newest durable checkpoint of {@code store}, as one crash-safe
     * checkpoint of the backup guarded by its undo journal; first grows it if the store grew since.
     */
    static Checkpoint incremental(final PageStore store, final Path backup, final LongConsumer progress)
        throws IOException
    {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(progress, "progress");
        final long start = System.nanoTime();
        store.lifecycle().checkOpen();
        try (StoreSnapshot snapshot = store.snapshot())
        {
            final long sequence = snapshot.sequence();
            // At least the checkpoint's page count (a store never shrinks); pages past it are free in it.
            final long pageCount = store.pageCount();
            PageStore target = PageStore.open(backup);
            // The backup's metadata is written below, not by its checkpoints: its close must not vouch for it.
            target.coordinator().forgoCleanClose();
            try
            {
                long held = target.lastCheckpoint();
                checkMatches(store, target, pageCount, sequence, held);
                if (held == sequence)
                {
                    progress.accept(pageCount);
                    return new Checkpoint(sequence, 0, 0, 0, System.nanoTime() - start);
                }
                if (target.pageCount() < pageCount)
                {
                    BackupGrowth.allow(target, held, pageCount);
                    target.close();
                    // Mapped for the new maxPages now, so that the file grows under the mapping. Checked again: the
                    // lock was let go in between.
                    target = PageStore.open(backup);
                    target.coordinator().forgoCleanClose();
                    held = target.lastCheckpoint();
                    checkMatches(store, target, pageCount, sequence, held);
                    BackupGrowth.extend(target, pageCount);
                }
                return bringForward(store, snapshot, target, new Held(held, target.pageCount()), pageCount, progress,
                    start);
            }
            finally
            {
                target.close();
            }
        }
    }

    /**
     * The checkpoint the backup holds, and its page count.
     */
    private record Held(long sequence, long pageCount)
    {
    }

    /**
     * Copies the pages of the groups changed since the backup's checkpoint and writes the new checkpoint's metadata
     * and superblock, after saving in the undo journal what the old checkpoint needs of what they overwrite. The
     * groups unchanged since are not looked at: their pages, and their metadata in both copies (but for the copy's
     * pages that differ from the other's, which the backup's open found), are already the new checkpoint's.
     */
    private static Checkpoint bringForward(final PageStore store, final StoreSnapshot snapshot,
        final PageStore target, final Held held, final long pageCount, final LongConsumer progress, final long start)
        throws IOException
    {
        final long sequence = snapshot.sequence();
        final PageLifetimes lifetimes = snapshot.lifetimes();
        final PageChanges changes = store.changes();
        final BackupWriter.Source source = sourceOf(lifetimes, sequence);
        final RawMmapFile file = target.file();
        final StoreLayout layout = new StoreLayout(pageCount);
        final PageTable backupTable = target.table();
        final StoreIo io = PwriteStoreIo.INSTANCE;
        final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        final byte[] old = new byte[StoreLayout.PAGE_SIZE];
        final LongArrayList copies = new LongArrayList();
        final LongArrayList overwritten = new LongArrayList();
        final LongArrayList changed = new LongArrayList();
        final Superblock heldSuperblock = superblockOf(file, held.sequence());
        long livePages = heldSuperblock.livePages();
        long highWater = heldSuperblock.highWater();
        for (long group = 0; group < layout.metadataPages(); group++)
        {
            if (changes.groupChangedAfter(group, held.sequence()))
            {
                changed.addLong(group);
                final long end = Math.min(pageCount, (group + 1) * StoreLayout.GROUP_USER_PAGES);
                for (long id = group * StoreLayout.GROUP_USER_PAGES; id < end; id++)
                {
                    final boolean inBackup = id < held.pageCount() &&
                        PageTable.LIVE == PageTable.stateOf(backupTable.stateAcquire(id));
                    final boolean live = source.live(id);
                    livePages += (live ? 1 : 0) - (inBackup ? 1 : 0);
                    highWater = live ? Math.max(highWater, group + 1) : highWater;
                    if (live && (!inBackup ||
                        !sameBytes(snapshot, changes, target.liveCrcs(), file, layout, id, held.sequence(), page,
                        old)))
                    {
                        copies.addLong(id);
                        if (inBackup)
                        {
                            // Its old checkpoint still needs these bytes until the new one is durable.
                            overwritten.addLong(layout.dataOffset(id));
                        }
                    }
                }
            }
            if (PROGRESS_GROUPS - 1 == group % PROGRESS_GROUPS)
            {
                progress.accept(Math.min(pageCount, (group + 1) * StoreLayout.GROUP_USER_PAGES));
            }
        }
        final long[] groups = groupsToPlan(changed.toLongArray(), target.staleTablePages(), held, sequence,
            heldSuperblock.highWater(), highWater);
        final BackupWriter.Plan plan = BackupWriter.plan(file, layout, sequence, source, groups, livePages,
            highWater);
        final long[] metadata = BackupWriter.offsets(layout, plan);
        final long[] saved = overwritten.toLongArray();
        final long[] offsets = Arrays.copyOf(saved, saved.length + metadata.length);
        System.arraycopy(metadata, 0, offsets, saved.length, metadata.length);
        final Path journal = UndoJournal.pathOf(target.path());
        UndoJournal.write(journal, held.sequence(), file, offsets, StoreIo.DIRECT);
        final long[] ids = copies.toLongArray();
        for (final long id : ids)
        {
            snapshot.read(id, page);
            // pwrite where the backup has a channel: pages written through a fresh mapping flush far slower.
            io.writeAt(file, layout.dataOffset(id), page);
        }
        BackupWriter.apply(file, io, layout, plan, rootsOf(snapshot), store.storeId());
        UndoJournal.discard(journal, StoreIo.DIRECT);
        progress.accept(pageCount);
        return new Checkpoint(sequence, ids.length, plan.tablePages().length,
            ((long)ids.length + plan.tablePages().length + 1) * StoreLayout.PAGE_SIZE, System.nanoTime() - start);
    }

    /**
     * {@return the groups whose metadata page of copy {@code sequence % 2} may not hold the new checkpoint's entries,
     * ascending}: those changed since the backup's checkpoint; those in which that copy is the backup's older one and
     * differs from the current one; and those the new high-water mark raises over, which the backup's open never
     * read (they were all free in its checkpoint).
     */
    private static long[] groupsToPlan(final long[] changed, final long[] staleTablePages, final Held held,
        final long sequence, final long heldHighWater, final long highWater)
    {
        final long[] stale = (sequence & 1) == (held.sequence() & 1) ? new long[0] : staleTablePages;
        final long[] all = new long[(int)(changed.length + stale.length + highWater - heldHighWater)];
        System.arraycopy(changed, 0, all, 0, changed.length);
        System.arraycopy(stale, 0, all, changed.length, stale.length);
        int count = changed.length + stale.length;
        for (long group = heldHighWater; group < highWater; group++)
        {
            all[count++] = group;
        }
        Arrays.sort(all);
        int distinct = 0;
        for (int i = 0; i < all.length; i++)
        {
            if (0 == distinct || all[distinct - 1] != all[i])
            {
                all[distinct++] = all[i];
            }
        }
        return Arrays.copyOf(all, distinct);
    }

    /**
     * {@return the superblock of the checkpoint the backup holds}, which its open verified.
     */
    private static Superblock superblockOf(final RawMmapFile file, final long held)
    {
        final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        file.readAt(StoreLayout.superblockOffset((int)(held & 1)), page);
        return SuperblockDescriptor.decode(new UnsafeBuffer(page));
    }

    /**
     * {@return whether a page live in both the backup and the pinned checkpoint has the same bytes in both}: known
     * from its history when it has been live since the backup's checkpoint, else compared (the CRC32C first).
     */
    private static boolean sameBytes(final StoreSnapshot snapshot, final PageChanges changes,
        final LiveCrcs backupCrcs, final RawMmapFile file, final StoreLayout layout, final long id, final long held,
        final byte[] page, final byte[] old)
    {
        if (snapshot.lifetimes().crc(id) != backupCrcs.crc(id))
        {
            return false;
        }
        if (changes.unchangedSince(id, held))
        {
            return true;
        }
        snapshot.read(id, page);
        file.readAt(layout.dataOffset(id), old);
        return Arrays.equals(page, old);
    }

    private static void checkMatches(final PageStore store, final PageStore target, final long pageCount,
        final long sequence, final long held)
    {
        if (target.storeId() != store.storeId() || target.pageCount() > pageCount)
        {
            throw new BackupMismatchException(BackupMismatchException.Problem.FOREIGN_STORE, target.path() +
                " is not a backup of " + store.path() + ": it has storeId=0x" + Long.toHexString(target.storeId()) +
                " and pageCount=" + target.pageCount() + ", expected storeId=0x" + Long.toHexString(store.storeId()) +
                " and pageCount at most " + pageCount + " (a store never shrinks)");
        }
        if (held > sequence)
        {
            throw new BackupMismatchException(BackupMismatchException.Problem.NEWER_THAN_SOURCE, target.path() +
                " holds checkpoint " + held + ", newer than the newest durable checkpoint " + sequence + " of " +
                store.path() + "; a backup can only be brought forward");
        }
    }

    private static void checkDirectory(final Path target) throws NoSuchFileException
    {
        final Path directory = target.getParent();
        if (null == directory || !Files.isDirectory(directory))
        {
            throw new NoSuchFileException(String.valueOf(directory), null, "the directory of backup target " +
                target + " does not exist");
        }
    }

    private static BackupWriter.Source sourceOf(final PageLifetimes lifetimes, final long sequence)
    {
        return new BackupWriter.Source()
        {
            @Override
            public boolean live(final long page)
            {
                return lifetimes.liveAt(page, sequence);
            }

            @Override
            public int crc(final long page)
            {
                return lifetimes.crc(page);
            }
        };
    }

    private static long[] rootsOf(final StoreSnapshot snapshot)
    {
        final long[] roots = new long[PageStore.ROOT_SLOTS];
        for (int slot = 0; slot < roots.length; slot++)
        {
            roots[slot] = snapshot.root(slot);
        }
        return roots;
    }

    private static void tell(final LongConsumer progress, final long id)
    {
        if (PROGRESS_EVERY - 1 == (id % PROGRESS_EVERY))
        {
            progress.accept(id + 1L);
        }
    }
}

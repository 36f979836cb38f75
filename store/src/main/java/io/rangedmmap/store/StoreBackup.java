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
import io.rangedmmap.store.internal.PageLifetimes;
import io.rangedmmap.store.internal.PageTable;
import io.rangedmmap.store.internal.StoreIo;
import io.rangedmmap.store.internal.UndoJournal;
import io.rangedmmap.store.internal.format.StoreLayout;

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
            final PageLifetimes lifetimes = store.lifetimes();
            final long sequence = snapshot.sequence();
            final BackupWriter.Source source = sourceOf(lifetimes, sequence);
            final long[] written = new long[2];
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
                    }
                    tell(progress, id);
                }
                final BackupWriter.Plan plan = BackupWriter.plan(file, layout, sequence, source);
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
     * checkpoint of the backup guarded by its undo journal.
     */
    static Checkpoint incremental(final PageStore store, final Path backup, final LongConsumer progress)
        throws IOException
    {
        Objects.requireNonNull(backup, "backup");
        Objects.requireNonNull(progress, "progress");
        final long start = System.nanoTime();
        store.lifecycle().checkOpen();
        try (StoreSnapshot snapshot = store.snapshot(); PageStore target = PageStore.open(backup))
        {
            final long sequence = snapshot.sequence();
            final long held = target.lastCheckpoint();
            checkMatches(store, target, sequence, held);
            if (held == sequence)
            {
                progress.accept(store.pageCount());
                return new Checkpoint(sequence, 0, 0, 0, System.nanoTime() - start);
            }
            final PageLifetimes lifetimes = store.lifetimes();
            final BackupWriter.Source source = sourceOf(lifetimes, sequence);
            final RawMmapFile file = target.file();
            final StoreLayout layout = target.layout();
            final PageTable backupTable = target.table();
            final byte[] page = new byte[StoreLayout.PAGE_SIZE];
            final byte[] old = new byte[StoreLayout.PAGE_SIZE];
            long[] copies = new long[64];
            int copyCount = 0;
            long[] overwritten = new long[64];
            int overwrittenCount = 0;
            for (long id = 0; id < layout.pageCount(); id++)
            {
                if (source.live(id))
                {
                    final boolean inBackup = PageTable.LIVE == PageTable.stateOf(backupTable.statePlain(id));
                    if (!inBackup || !sameBytes(snapshot, lifetimes, backupTable, file, layout, id, held, page, old))
                    {
                        if (copyCount == copies.length)
                        {
                            copies = Arrays.copyOf(copies, copyCount * 2);
                        }
                        copies[copyCount++] = id;
                        if (inBackup)
                        {
                            // Its old checkpoint still needs these bytes until the new one is durable.
                            if (overwrittenCount == overwritten.length)
                            {
                                overwritten = Arrays.copyOf(overwritten, overwrittenCount * 2);
                            }
                            overwritten[overwrittenCount++] = layout.dataOffset(id);
                        }
                    }
                }
                tell(progress, id);
            }
            final BackupWriter.Plan plan = BackupWriter.plan(file, layout, sequence, source);
            final long[] metadata = BackupWriter.offsets(layout, plan);
            final long[] offsets = Arrays.copyOf(overwritten, overwrittenCount + metadata.length);
            System.arraycopy(metadata, 0, offsets, overwrittenCount, metadata.length);
            final Path journal = UndoJournal.pathOf(target.path());
            UndoJournal.write(journal, held, file, offsets, StoreIo.DIRECT);
            for (int i = 0; i < copyCount; i++)
            {
                snapshot.read(copies[i], page);
                file.writeAt(layout.dataOffset(copies[i]), page);
            }
            BackupWriter.apply(file, StoreIo.DIRECT, layout, plan, rootsOf(snapshot), store.storeId());
            UndoJournal.discard(journal, StoreIo.DIRECT);
            progress.accept(store.pageCount());
            return new Checkpoint(sequence, copyCount, plan.tablePages().length,
                ((long)copyCount + plan.tablePages().length + 1) * StoreLayout.PAGE_SIZE, System.nanoTime() - start);
        }
    }

    /**
     * {@return whether a page live in both the backup and the pinned checkpoint has the same bytes in both}: known
     * from its history when it has been live since the backup's checkpoint, else compared (the CRC32C first).
     */
    private static boolean sameBytes(final StoreSnapshot snapshot, final PageLifetimes lifetimes,
        final PageTable backupTable, final RawMmapFile file, final StoreLayout layout, final long id, final long held,
        final byte[] page, final byte[] old)
    {
        if (lifetimes.crc(id) != backupTable.crc(id))
        {
            return false;
        }
        if (lifetimes.unchangedSince(id, held))
        {
            return true;
        }
        snapshot.read(id, page);
        file.readAt(layout.dataOffset(id), old);
        return Arrays.equals(page, old);
    }

    private static void checkMatches(final PageStore store, final PageStore target, final long sequence,
        final long held)
    {
        if (target.storeId() != store.storeId() || target.pageCount() != store.pageCount())
        {
            throw new BackupMismatchException(BackupMismatchException.Problem.FOREIGN_STORE, target.path() +
                " is not a backup of " + store.path() + ": it has storeId=0x" + Long.toHexString(target.storeId()) +
                " and pageCount=" + target.pageCount() + ", expected storeId=0x" + Long.toHexString(store.storeId()) +
                " and pageCount=" + store.pageCount() + " (a source that grew since the backup needs a new full " +
                "backup)");
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

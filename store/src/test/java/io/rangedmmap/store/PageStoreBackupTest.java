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
import io.rangedmmap.store.internal.StoreIo;
import io.rangedmmap.store.internal.UndoJournal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageStoreBackupTest
{
    private static final int PAGES = 1024;

    @TempDir
    Path dir;

    @Test
    void shouldEqualAFullBackupOfTheSameCheckpointAfterAChainOf100IncrementalBackups() throws IOException
    {
        final Path file = dir.resolve("source.store");
        final Path chain = dir.resolve("chain.store");
        final SnapshotHistory history = new SnapshotHistory(0);
        final List<List<Long>> mine = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        final Random random = new Random(11);
        PageStore store = PageStore.create(file, PAGES, StoreOptions.defaults().withExtentPages(1));
        try
        {
            assertEquals(0, store.backup(chain).sequence());
            long written = 0;
            for (int step = 1; step <= 100; step++)
            {
                if (step % 25 == 0)
                {
                    // Pages live before an open have no known history: backupTo compares their bytes.
                    store.close();
                    store = PageStore.open(file, StoreOptions.defaults().withExtentPages(1));
                }
                try (PageWriter writer = store.newWriter())
                {
                    for (int i = 0; i < 1 + random.nextInt(6); i++)
                    {
                        final int who = random.nextInt(mine.size());
                        assertTrue(history.step(store, writer, who, mine.get(who), random, 40 + who * 20));
                    }
                }
                final Checkpoint incremental = store.backupTo(chain);
                assertEquals(store.lastCheckpoint(), incremental.sequence());
                written += incremental.pagesFlushed();
                try (PageStore backup = PageStore.open(chain))
                {
                    history.checkStore(backup, incremental.sequence());
                }
                if (step % 10 == 0)
                {
                    final Path full = dir.resolve("full-" + step + ".store");
                    assertEquals(incremental.sequence(), store.backup(full).sequence());
                    assertSameStore(full, chain);
                    Files.delete(full);
                }
            }
            assertTrue(written < 100L * 6, "incremental backups copied " + written + " pages");
        }
        finally
        {
            store.close();
        }
    }

    @Test
    void shouldCopyOnlyTheChangedPagesAndReportProgress() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final Path backup = dir.resolve("b.store");
        try (PageStore store = PageStore.create(file, 10_000))
        {
            final List<PageReceipt> receipts = new ArrayList<>();
            try (PageWriter writer = store.newWriter())
            {
                for (int i = 0; i < 100; i++)
                {
                    final long id = writer.allocate();
                    receipts.add(writer.write(id, page(id)));
                }
            }
            store.setRoot(3, 77);
            store.checkpoint(receipts);
            final List<Long> told = new ArrayList<>();
            final Checkpoint full = store.backup(backup, told::add);
            assertEquals(new Checkpoint(1, 100, 1, 102 * PageStore.PAGE_SIZE, full.durationNanos()), full);
            assertEquals(List.of(4096L, 8192L, 10_000L), told);
            store.free(receipts.get(0).pageId());
            try (PageWriter writer = store.newWriter())
            {
                final long id = writer.allocate();
                store.checkpoint(List.of(writer.write(id, page(-1))));
            }
            final Checkpoint incremental = store.backupTo(backup);
            assertEquals(2, incremental.sequence());
            assertEquals(1, incremental.pagesFlushed());
            final Checkpoint again = store.backupTo(backup);
            assertEquals(2, again.sequence());
            assertEquals(0, again.pagesFlushed());
            assertEquals(0, again.bytesFlushed());
            try (PageStore copy = PageStore.openReadOnly(backup))
            {
                assertEquals(2, copy.lastCheckpoint());
                assertEquals(77, copy.root(3));
                assertEquals(100, copy.stats().livePages());
                assertTrue(copy.verify().isClean());
            }
        }
    }

    @Test
    void shouldLookOnlyAtTheGroupsChangedSinceTheBackup() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final Path backup = dir.resolve("b.store");
        // 12 groups of 510 pages, the first 11 all live; reopened, so that no page's history is known.
        final long groups = 12;
        try (PageStore store = PageStore.create(file, groups * 510))
        {
            final List<PageReceipt> receipts = new ArrayList<>();
            try (PageWriter writer = store.newWriter())
            {
                for (long i = 0; i < (groups - 1) * 510; i++)
                {
                    final long id = writer.allocate();
                    receipts.add(writer.write(id, page(id)));
                }
            }
            store.checkpoint(receipts);
            store.backup(backup);
        }
        try (PageStore store = PageStore.open(file))
        {
            final long changed = 7 * 510 + 3;
            store.free(changed);
            store.checkpoint(List.of());
            try (PageWriter writer = store.newWriter())
            {
                final long id = writer.allocate();
                assertEquals(changed, id, "the freed id, the lowest free one");
                store.checkpoint(List.of(writer.write(id, page(-1))));
            }
            final Checkpoint incremental = store.backupTo(backup);
            assertEquals(3, incremental.sequence());
            assertEquals(1, incremental.pagesFlushed());
            assertEquals(1, incremental.metadataPagesFlushed(), "group 7's, no other");
            store.backup(dir.resolve("full.store"));
        }
        assertSameStore(dir.resolve("full.store"), backup);
    }

    @Test
    void shouldBringForwardABackupOfAStoreThatGrew() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final Path backup = dir.resolve("b.store");
        final Path full = dir.resolve("full.store");
        final StoreOptions options = StoreOptions.defaults().withMaxPages(5_000);
        final Random random = new Random(5);
        try (PageStore store = PageStore.create(file, 600, options))
        {
            checkpointNewPages(store, 300, random);
            store.setRoot(2, 42);
            store.checkpoint(List.of());
            store.backup(backup);
            store.grow(3_000);
            store.free(5);
            checkpointNewPages(store, 1_500, random);
            final Checkpoint grown = store.backupTo(backup);
            assertEquals(store.lastCheckpoint(), grown.sequence());
            assertEquals(1_500, grown.pagesFlushed(), grown.toString());
            try (PageStore copy = PageStore.open(backup))
            {
                assertEquals(3_000, copy.pageCount());
                assertEquals(42, copy.root(2));
                final VerifyReport report = copy.verify();
                assertTrue(report.isClean(), report.toString());
            }
            store.backup(full);
            assertSameStore(full, backup);
            Files.delete(full);
        }
        // Reopened (history unknown), grown again and brought forward at the other parity.
        try (PageStore store = PageStore.open(file, options))
        {
            store.grow(4_200);
            store.setRoot(3, 43);
            checkpointNewPages(store, 1_000, random);
            store.checkpoint(List.of());
            assertEquals(store.lastCheckpoint(), store.backupTo(backup).sequence());
            assertEquals(4_200, Files.size(backup) / PageStore.PAGE_SIZE - 2 - 2 * ((4_200 + 509) / 510));
            store.backup(full);
            assertSameStore(full, backup);
        }
    }

    private static void checkpointNewPages(final PageStore store, final int count, final Random random)
    {
        final List<PageReceipt> receipts = new ArrayList<>();
        try (PageWriter writer = store.newWriter())
        {
            for (int i = 0; i < count; i++)
            {
                final long id = writer.allocate();
                receipts.add(writer.write(id, page(random.nextLong())));
            }
        }
        store.checkpoint(receipts);
    }

    @Test
    void shouldRefuseAnExistingTargetAndLeaveItUntouched() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 16))
        {
            final Path target = Files.writeString(dir.resolve("taken"), "mine");
            final FileAlreadyExistsException refused =
                assertThrowsExactly(FileAlreadyExistsException.class, () -> store.backup(target));
            assertEquals(target.toAbsolutePath() + ": refusing to replace an existing file", refused.getMessage());
            assertEquals("mine", Files.readString(target));
        }
    }

    @Test
    void shouldRefuseATargetWhoseDirectoryIsMissing() throws IOException
    {
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 16))
        {
            final Path target = dir.resolve("missing").resolve("b.store");
            final NoSuchFileException refused =
                assertThrowsExactly(NoSuchFileException.class, () -> store.backup(target));
            assertEquals(dir.resolve("missing").toAbsolutePath() + ": the directory of backup target " +
                target.toAbsolutePath() + " does not exist", refused.getMessage());
            assertFalse(Files.exists(target.getParent()));
        }
    }

    @Test
    void shouldRefuseATargetWhoseDirectoryIsReadOnlyAndLeaveNoFile() throws Exception
    {
        final Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        // Root ignores permissions: make the directory immutable instead.
        final boolean immutable = Files.isWritable(readOnly) && run("chattr", "+i", readOnly.toString());
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 16))
        {
            final Path target = readOnly.resolve("b.store");
            final FileSystemException refused = assertThrows(FileSystemException.class, () -> store.backup(target));
            assertTrue(refused.getMessage().contains(readOnly.toString()), refused.getMessage());
            try (var listing = Files.list(readOnly))
            {
                assertEquals(0, listing.count());
            }
        }
        finally
        {
            if (immutable)
            {
                run("chattr", "-i", readOnly.toString());
            }
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void shouldRefuseToBackUpAFailedStore() throws IOException
    {
        final Path file = dir.resolve("s.store").toAbsolutePath();
        try (PageStore store = PageStore.create(file, 64))
        {
            final PageWriter writer = store.newWriter();
            final long doomed = writer.allocate(40) + 39;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                channel.truncate(24 * 4096);
            }
            assertThrowsExactly(StoreFailedException.class, () -> writer.write(doomed, page(2)));
            final Path target = dir.resolve("b.store");
            final StoreFailedException refused =
                assertThrowsExactly(StoreFailedException.class, () -> store.backup(target));
            assertTrue(refused.getMessage().startsWith("page store " + file + " has failed"), refused.getMessage());
            assertThrowsExactly(StoreFailedException.class, () -> store.backupTo(target));
            assertFalse(Files.exists(target));
            writer.close();
        }
    }

    @Test
    void shouldRefuseABackupOfAnotherStore() throws IOException
    {
        final Path other = dir.resolve("other.store");
        PageStore.create(other, 16).close();
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 16))
        {
            final BackupMismatchException refused =
                assertThrowsExactly(BackupMismatchException.class, () -> store.backupTo(other));
            assertEquals(BackupMismatchException.Problem.FOREIGN_STORE, refused.problem());
            assertTrue(refused.getMessage().startsWith(other.toAbsolutePath() + " is not a backup of " +
                store.path() + ": it has storeId=0x"), refused.getMessage());
        }
    }

    @Test
    void shouldRefuseABackupNewerThanTheStore() throws IOException
    {
        final Path backup = dir.resolve("b.store");
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 16))
        {
            store.backup(backup);
            try (PageStore copy = PageStore.open(backup))
            {
                copy.checkpoint(List.of());
            }
            final BackupMismatchException refused =
                assertThrowsExactly(BackupMismatchException.class, () -> store.backupTo(backup));
            assertEquals(BackupMismatchException.Problem.NEWER_THAN_SOURCE, refused.problem());
            assertEquals(backup.toAbsolutePath() + " holds checkpoint 1, newer than the newest durable checkpoint 0 " +
                "of " + store.path() + "; a backup can only be brought forward", refused.getMessage());
        }
    }

    @Test
    void shouldRollAnInterruptedIncrementalBackupBackAtOpen() throws IOException
    {
        final Path backup = dir.resolve("b.store");
        final Path journal = UndoJournal.pathOf(backup.toAbsolutePath());
        final byte[] before;
        final byte[] after;
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 16))
        {
            final long kept;
            try (PageWriter writer = store.newWriter())
            {
                kept = writer.allocate();
                store.checkpoint(List.of(writer.write(kept, page(1))));
            }
            store.backup(backup);
            before = Files.readAllBytes(backup);
            store.free(kept);
            store.setRoot(0, 5);
            store.checkpoint(List.of());
            try (PageWriter writer = store.newWriter())
            {
                final long again = writer.allocate();
                store.checkpoint(List.of(writer.write(again, page(2))));
            }
            assertEquals(3, store.backupTo(backup).sequence());
            after = Files.readAllBytes(backup);
        }
        // A crash after every write of the incremental backup, before its journal was removed: rolled back.
        Files.write(backup, before);
        try (RawMmapFile file = RawMmapFile.open(backup))
        {
            UndoJournal.write(journal, 1, file, changedPages(before, after), StoreIo.DIRECT);
        }
        Files.write(backup, after);
        try (PageStore copy = PageStore.open(backup))
        {
            // Left as rolled back, without a clean close's mark, to compare its bytes below.
            copy.coordinator().forgoCleanClose();
            assertEquals(1, copy.lastCheckpoint());
            assertEquals(0, copy.root(0));
            assertTrue(copy.verify().isClean());
        }
        assertFalse(Files.exists(journal));
        assertArrayEquals(before, Files.readAllBytes(backup));
        // A crash while the journal was written (nothing of the backup touched yet): the journal is dropped.
        try (RawMmapFile file = RawMmapFile.open(backup))
        {
            UndoJournal.write(journal, 1, file, changedPages(before, after), StoreIo.DIRECT);
        }
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.WRITE))
        {
            channel.truncate(channel.size() - 1);
        }
        final IncompatibleStoreException readOnly =
            assertThrowsExactly(IncompatibleStoreException.class, () -> PageStore.openReadOnly(backup));
        assertTrue(readOnly.getMessage().contains("open it once with PageStore.open"), readOnly.getMessage());
        try (PageStore copy = PageStore.open(backup))
        {
            copy.coordinator().forgoCleanClose();
            assertEquals(1, copy.lastCheckpoint());
        }
        assertFalse(Files.exists(journal));
        assertArrayEquals(before, Files.readAllBytes(backup));
    }

    @Test
    void shouldThrowIllegalStateExceptionFromASnapshotOfAClosedStore() throws IOException
    {
        final StoreSnapshot snapshot;
        final long kept;
        try (PageStore store = PageStore.create(dir.resolve("s.store"), 16))
        {
            try (PageWriter writer = store.newWriter())
            {
                kept = writer.allocate();
                store.checkpoint(List.of(writer.write(kept, page(1))));
            }
            snapshot = store.snapshot();
        }
        final byte[] dst = new byte[PageStore.PAGE_SIZE];
        final String closed = "page store " + dir.resolve("s.store").toAbsolutePath() + " is closed";
        assertEquals(closed, assertThrowsExactly(IllegalStateException.class, () -> snapshot.read(kept, dst))
            .getMessage());
        assertThrowsExactly(IllegalStateException.class,
            () -> snapshot.read(kept, ByteBuffer.allocateDirect(PageStore.PAGE_SIZE)));
        assertThrowsExactly(IllegalStateException.class, () -> snapshot.read(kept, view -> view.getLong(0)));
        assertThrowsExactly(IllegalStateException.class, () -> snapshot.root(0));
        assertEquals(1, snapshot.sequence());
        snapshot.close();
        snapshot.close();
    }

    private static void assertSameStore(final Path expected, final Path actual) throws IOException
    {
        try (PageStore a = PageStore.openReadOnly(expected); PageStore b = PageStore.openReadOnly(actual))
        {
            assertEquals(a.lastCheckpoint(), b.lastCheckpoint());
            assertEquals(a.stats(), b.stats());
            for (int slot = 0; slot < PageStore.ROOT_SLOTS; slot++)
            {
                assertEquals(a.root(slot), b.root(slot), "slot=" + slot);
            }
            final byte[] left = new byte[PageStore.PAGE_SIZE];
            final byte[] right = new byte[PageStore.PAGE_SIZE];
            final AtomicLong live = new AtomicLong();
            for (long pageId = 0; pageId < a.pageCount(); pageId++)
            {
                final long id = pageId;
                try
                {
                    a.read(pageId, left);
                }
                catch (final IllegalStateException ex)
                {
                    assertThrowsExactly(IllegalStateException.class, () -> b.read(id, right), "page=" + pageId);
                    continue;
                }
                b.read(pageId, right);
                assertArrayEquals(left, right, "page=" + pageId);
                live.incrementAndGet();
            }
            assertEquals(a.stats().livePages(), live.get());
        }
    }

    private static boolean run(final String... command) throws IOException, InterruptedException
    {
        return 0 == new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    private static long[] changedPages(final byte[] before, final byte[] after)
    {
        final List<Long> offsets = new ArrayList<>();
        for (int offset = 0; offset < before.length; offset += PageStore.PAGE_SIZE)
        {
            if (!Arrays.equals(before, offset, offset + PageStore.PAGE_SIZE, after, offset,
                offset + PageStore.PAGE_SIZE))
            {
                offsets.add((long)offset);
            }
        }
        return offsets.stream().mapToLong(Long::longValue).toArray();
    }
}

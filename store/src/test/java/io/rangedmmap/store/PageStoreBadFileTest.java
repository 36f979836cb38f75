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

import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad files (matrix row 4): each is refused with a typed error naming the problem, and left exactly as it was,
 * bytes and modification time; a store with one superblock zeroed opens at the other one's checkpoint, unmodified.
 */
class PageStoreBadFileTest
{
    private static final int SUPERBLOCK_CRC_OFFSET = SuperblockDescriptor.CRC_OFFSET;
    private static final FileTime OLD = FileTime.from(1_000_000_000L, TimeUnit.SECONDS);

    @TempDir
    Path dir;

    /**
     * A store of 20 pages after two checkpoints: checkpoint 2 (page a, page b) in slot 0, checkpoint 1 (page a) in
     * slot 1.
     */
    private Path twoCheckpoints() throws IOException
    {
        final Path file = dir.resolve("s.store").toAbsolutePath();
        final byte[] killed;
        try (PageStore store = PageStore.create(file, 20); PageWriter writer = store.newWriter())
        {
            store.checkpoint(List.of(writer.write(writer.allocate(), page(1))));
            store.checkpoint(List.of(writer.write(writer.allocate(), page(2))));
            killed = Files.readAllBytes(file);
        }
        // As a kill -9 leaves it: a clean close would have written checkpoint 2 over checkpoint 1's superblock.
        Files.write(file, killed);
        return file;
    }

    private Path withBytes(final byte[] bytes) throws IOException
    {
        final Path file = dir.resolve("bad").toAbsolutePath();
        Files.write(file, bytes);
        return file;
    }

    private static <T extends Throwable> T assertRefusedUnmodified(final Path file, final Class<T> type)
        throws IOException
    {
        if (Files.isWritable(file))
        {
            Files.setLastModifiedTime(file, OLD);
        }
        final byte[] before = Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        final T ex = assertThrowsExactly(type, () -> PageStore.open(file));
        if (null != before)
        {
            assertArrayEquals(before, Files.readAllBytes(file), "a refused file must be left unmodified");
        }
        assertEquals(OLD, Files.getLastModifiedTime(file), "a refused file keeps its modification time");
        return ex;
    }

    private static void assertIncompatible(final Path file, final IncompatibleStoreException.Problem problem,
        final String messagePart) throws IOException
    {
        final IncompatibleStoreException ex = assertRefusedUnmodified(file, IncompatibleStoreException.class);
        assertEquals(problem, ex.problem(), ex.getMessage());
        assertTrue(ex.getMessage().startsWith(file.toString()), ex.getMessage());
        assertTrue(ex.getMessage().contains(messagePart), ex.getMessage());
    }

    private static void patchBothSuperblocks(final Path file, final int offset, final long value, final boolean wide)
        throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int slot = 0; slot < 2; slot++)
        {
            if (wide)
            {
                buffer.putLong(slot * 4096 + offset, value);
            }
            else
            {
                buffer.putInt(slot * 4096 + offset, (int)value);
            }
            final CRC32C crc = new CRC32C();
            crc.update(bytes, slot * 4096, SUPERBLOCK_CRC_OFFSET);
            buffer.putInt(slot * 4096 + SUPERBLOCK_CRC_OFFSET, (int)crc.getValue());
        }
        Files.write(file, bytes);
    }

    @Test
    void shouldRefuseEmptyFile() throws IOException
    {
        assertIncompatible(withBytes(new byte[0]), IncompatibleStoreException.Problem.NOT_A_STORE, "size=0");
    }

    @ParameterizedTest
    @ValueSource(ints = {-4096, -100, 1, 100, 4095, 4096, 8192})
    void shouldRefuseSizeThatDisagreesWithTheSuperblock(final int delta) throws IOException
    {
        final Path file = twoCheckpoints();
        final byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length + delta));
        assertIncompatible(file, IncompatibleStoreException.Problem.SIZE_MISMATCH,
            "has size=" + (bytes.length + delta) + " but its superblock (pageCount=20) requires size=" + bytes.length);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void shouldOpenTheOtherCheckpointUnmodifiedWhenOneSuperblockIsZeroed(final int slot) throws IOException
    {
        final Path file = twoCheckpoints();
        final byte[] bytes = Files.readAllBytes(file);
        Arrays.fill(bytes, slot * 4096, (slot + 1) * 4096, (byte)0);
        Files.write(file, bytes);
        Files.setLastModifiedTime(file, OLD);
        try (PageStore store = PageStore.open(file))
        {
            // Slot 0 holds checkpoint 2, slot 1 checkpoint 1.
            final StoreOracle.Snapshot one = new StoreOracle.Snapshot(1, Map.of(0L, 1L),
                new long[PageStore.ROOT_SLOTS]);
            StoreOracle.assertHolds(store, 0 == slot ? one : one.next(Map.of(1L, 2L), List.of(), one.roots()), null,
                "slot " + slot + " zeroed");
        }
        assertArrayEquals(bytes, Files.readAllBytes(file));
        assertEquals(OLD, Files.getLastModifiedTime(file));
    }

    @Test
    void shouldRefuseBothSuperblocksZeroed() throws IOException
    {
        final Path file = twoCheckpoints();
        final byte[] bytes = Files.readAllBytes(file);
        Arrays.fill(bytes, 0, 8192, (byte)0);
        Files.write(file, bytes);
        assertIncompatible(file, IncompatibleStoreException.Problem.NOT_A_STORE, "magic=0x0, expected");
    }

    @Test
    void shouldRefuseWrongMagic() throws IOException
    {
        final Path file = twoCheckpoints();
        patchBothSuperblocks(file, 0, 0x45524F54534D4D53L, true);
        assertIncompatible(file, IncompatibleStoreException.Problem.NOT_A_STORE, "magic=0x45524f54534d4d53");
    }

    @Test
    void shouldRefuseNewerVersion() throws IOException
    {
        final Path file = twoCheckpoints();
        patchBothSuperblocks(file, 8, 5, false);
        assertIncompatible(file, IncompatibleStoreException.Problem.NEWER_FORMAT, "format version=5");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void shouldRefuseOlderVersionNamingBoth(final int version) throws IOException
    {
        final Path file = twoCheckpoints();
        patchBothSuperblocks(file, 8, version, false);
        assertIncompatible(file, IncompatibleStoreException.Problem.OLDER_FORMAT,
            "format version=" + version + ", older than the version=4");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void shouldRefuseInvalidVersion(final int version) throws IOException
    {
        final Path file = twoCheckpoints();
        patchBothSuperblocks(file, 8, version, false);
        assertIncompatible(file, IncompatibleStoreException.Problem.CORRUPT_METADATA, "format version=" + version);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 512, 2048, 8192, 65536})
    void shouldRefuseOtherPageSize(final int pageSize) throws IOException
    {
        final Path file = twoCheckpoints();
        patchBothSuperblocks(file, 12, pageSize, false);
        assertIncompatible(file, IncompatibleStoreException.Problem.PAGE_SIZE_MISMATCH, "pageSize=" + pageSize);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, 21, 4294967297L, Long.MAX_VALUE})
    void shouldRefuseInconsistentPageCount(final long pageCount) throws IOException
    {
        final Path file = twoCheckpoints();
        patchBothSuperblocks(file, 16, pageCount, true);
        final IncompatibleStoreException ex = assertRefusedUnmodified(file, IncompatibleStoreException.class);
        assertTrue(IncompatibleStoreException.Problem.CORRUPT_METADATA == ex.problem() ||
            IncompatibleStoreException.Problem.SIZE_MISMATCH == ex.problem(), ex.getMessage());
    }

    @Test
    void shouldRefuseADirectory() throws IOException
    {
        final Path directory = Files.createDirectory(dir.resolve("d.store")).toAbsolutePath();
        for (int i = 0; i < 300; i++)
        {
            // A directory large enough that its size alone does not refuse it.
            Files.createFile(directory.resolve("entry-with-a-long-name-" + i));
        }
        final IOException ex = assertRefusedUnmodified(directory, FileSystemException.class);
        assertTrue(ex.getMessage().contains(directory.toString()), ex.getMessage());
    }

    @Test
    void shouldRefuseAReadOnlyFile() throws Exception
    {
        final Path file = twoCheckpoints();
        final boolean root = "root".equals(System.getProperty("user.name"));
        Files.setLastModifiedTime(file, OLD);
        if (root)
        {
            // Root ignores permissions: an immutable file refuses writes to root too.
            assertEquals(0, new ProcessBuilder("chattr", "+i", file.toString()).inheritIO().start().waitFor());
        }
        else
        {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        }
        try
        {
            // EACCES for a user, EPERM (immutable) for root.
            final FileSystemException ex =
                assertRefusedUnmodified(file, root ? FileSystemException.class : AccessDeniedException.class.asSubclass(
                    FileSystemException.class));
            assertEquals(file.toString(), ex.getFile());
        }
        finally
        {
            if (root)
            {
                new ProcessBuilder("chattr", "-i", file.toString()).inheritIO().start().waitFor();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8192, 12288, 65536, 100_000})
    void shouldRefuseRandomBytes(final int size) throws IOException
    {
        final byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        assertIncompatible(withBytes(bytes), IncompatibleStoreException.Problem.NOT_A_STORE, "is not a page store");
    }

    @Test
    void shouldRefuseAZipFile() throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out))
        {
            zip.setLevel(0);
            for (int i = 0; i < 4; i++)
            {
                zip.putNextEntry(new ZipEntry("entry-" + i));
                zip.write(page(i));
                zip.closeEntry();
            }
        }
        assertIncompatible(withBytes(out.toByteArray()), IncompatibleStoreException.Problem.NOT_A_STORE,
            "magic=0x");
    }

    @Test
    void shouldRefuseAnSqliteLikeFile() throws IOException
    {
        final byte[] bytes = new byte[3 * 4096];
        final byte[] header = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, bytes, 0, header.length);
        ByteBuffer.wrap(bytes).putShort(16, (short)4096).put(18, (byte)1).put(19, (byte)1).putInt(28, 3);
        assertIncompatible(withBytes(bytes), IncompatibleStoreException.Problem.NOT_A_STORE,
            "magic=0x" + Long.toHexString(ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong()));
    }

    @Test
    void shouldRefuseAStoreOfAnotherStoreSize() throws IOException
    {
        // Another store's superblocks on this store's file: the geometry disagrees with the size.
        final Path small = twoCheckpoints();
        final Path large = dir.resolve("large.store").toAbsolutePath();
        PageStore.create(large, 2000).close();
        final byte[] bytes = Files.readAllBytes(large);
        System.arraycopy(Files.readAllBytes(small), 0, bytes, 0, 8192);
        Files.write(large, bytes);
        assertIncompatible(large, IncompatibleStoreException.Problem.SIZE_MISMATCH, "(pageCount=20) requires");
    }
}

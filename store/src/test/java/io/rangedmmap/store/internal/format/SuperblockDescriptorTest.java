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
package io.rangedmmap.store.internal.format;

import io.rangedmmap.store.IncompatibleStoreException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuperblockDescriptorTest
{
    private static final Path FILE = Path.of("/data/s.store");

    private static Superblock superblock(final long sequence)
    {
        final long[] roots = new long[SuperblockDescriptor.ROOT_SLOTS];
        roots[15] = -7;
        return new Superblock(4096, 1000, 2, sequence, (int)(sequence & 1), 12, roots);
    }

    @Test
    void shouldLayOutFieldsAsDocumented()
    {
        assertEquals(184, SuperblockDescriptor.FLAGS_OFFSET);
        assertEquals(200, SuperblockDescriptor.NEW_PAGES_OFFSET);
        assertEquals(208, SuperblockDescriptor.MAX_PAGES_OFFSET);
        assertEquals(216, SuperblockDescriptor.HIGH_WATER_OFFSET);
        assertEquals(224, SuperblockDescriptor.HIGH_WATER_BEFORE_OFFSET);
        assertEquals(232, SuperblockDescriptor.FREE_MAP_OFFSET);
        assertEquals(232, SuperblockDescriptor.DIRECTORY_OFFSET);
        assertEquals(4072, SuperblockDescriptor.CRC_OFFSET);
        assertEquals(4076, SuperblockDescriptor.LENGTH);
        assertEquals(1, SuperblockDescriptor.freeMapSpan(30_720));
        assertEquals(2, SuperblockDescriptor.freeMapSpan(30_721));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        SuperblockDescriptor.encode(buffer, superblock(5));
        assertEquals('R', buffer.getByte(0));
        assertEquals('E', buffer.getByte(7));
        assertEquals(4, buffer.getInt(SuperblockDescriptor.VERSION_OFFSET));
        assertEquals(1, buffer.getInt(SuperblockDescriptor.CURRENT_COPY_OFFSET));
        assertEquals(-7, buffer.getLong(SuperblockDescriptor.ROOTS_OFFSET + 15 * 8));
    }

    @Test
    void shouldRoundTripAndDetectAnyFlippedByte()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        SuperblockDescriptor.encode(buffer, superblock(9));
        assertTrue(SuperblockDescriptor.isCrcValid(buffer));
        final Superblock decoded = SuperblockDescriptor.decode(buffer);
        assertEquals(9, decoded.sequence());
        assertEquals(12, decoded.livePages());
        assertArrayEquals(superblock(9).roots(), decoded.roots());
        final UnsafeBuffer mapped = new UnsafeBuffer(new byte[4096]);
        final byte[] map = new byte[SuperblockDescriptor.FREE_MAP_BYTES];
        map[0] = 0b101;
        map[map.length - 1] = (byte)0x80;
        SuperblockDescriptor.encode(mapped, decoded.withFlags(SuperblockDescriptor.FLAG_CLEAN), map);
        assertArrayEquals(map, SuperblockDescriptor.freeMap(mapped));
        assertTrue(decoded.sameCheckpointAs(SuperblockDescriptor.decode(mapped)), "the map is not the checkpoint's");
        for (int offset = 0; offset < SuperblockDescriptor.LENGTH; offset++)
        {
            buffer.putByte(offset, (byte)(buffer.getByte(offset) ^ 1));
            assertFalse(SuperblockDescriptor.isCrcValid(buffer), "offset=" + offset);
            buffer.putByte(offset, (byte)(buffer.getByte(offset) ^ 1));
        }
    }

    @Test
    void shouldRoundTripADirectoryOfGroupsAndRefuseOneThatCannotBe()
    {
        final long[] groups = {0, 3, 959, 0xFFFF_FFFFL};
        final Superblock listed = new Superblock(4096, 1000, 2, 3, 1, 12, new long[16],
            SuperblockDescriptor.FLAG_ONE_FLUSH | SuperblockDescriptor.FLAG_DIRECTORY, groups.length, 0, 0, 1000, 2, 2,
            0);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        SuperblockDescriptor.encode(buffer, listed, SuperblockDescriptor.directoryBytes(groups));
        assertTrue(SuperblockDescriptor.isCrcValid(buffer));
        final Superblock decoded = SuperblockDescriptor.decode(buffer);
        assertArrayEquals(groups, SuperblockDescriptor.directory(buffer, decoded));
        assertEquals(960, SuperblockDescriptor.DIRECTORY_CAPACITY);
        SuperblockDescriptor.directoryBytes(new long[SuperblockDescriptor.DIRECTORY_CAPACITY]);
        assertThrowsExactly(IllegalArgumentException.class,
            () -> SuperblockDescriptor.directoryBytes(new long[SuperblockDescriptor.DIRECTORY_CAPACITY + 1]));
        assertThrowsExactly(IllegalArgumentException.class,
            () -> SuperblockDescriptor.directoryBytes(new long[]{1L << 32}));
        assertThrowsExactly(IllegalArgumentException.class, () -> SuperblockDescriptor.directoryBytes(new long[]{-1}));
        // The clean close's copy of the superblock drops the directory (its bytes hold the free map) and still names
        // the same checkpoint.
        assertTrue(decoded.sameCheckpointAs(decoded.withFlags(SuperblockDescriptor.FLAG_CLEAN)));
        final long size = new StoreLayout(1000).fileSize();
        SuperblockDescriptor.checkGeometry(new Superblock(4096, 1000, 2, 3, 1, 12, new long[16],
            SuperblockDescriptor.FLAG_ONE_FLUSH | SuperblockDescriptor.FLAG_DIRECTORY, 2, 0, 0, 1000, 2, 2, 0), size,
            FILE);
        // A directory without the one flush it serves, or longer than fits, is damage.
        for (final Superblock bad : new Superblock[]{
            new Superblock(4096, 1000, 2, 3, 1, 12, new long[16], SuperblockDescriptor.FLAG_DIRECTORY, 2, 0, 0, 1000,
                2, 2, 0),
            new Superblock(4096, 1_000_000, 1961, 3, 1, 12, new long[16],
                SuperblockDescriptor.FLAG_ONE_FLUSH | SuperblockDescriptor.FLAG_DIRECTORY, 961, 0, 0, 1_000_000, 1961,
                1961, 0)})
        {
            assertEquals(IncompatibleStoreException.Problem.CORRUPT_METADATA, assertThrowsExactly(
                IncompatibleStoreException.class, () -> SuperblockDescriptor.checkGeometry(bad,
                    new StoreLayout(bad.pageCount()).fileSize(), FILE)).problem(), bad.toString());
        }
    }

    @Test
    void shouldRefuseGeometryThatDisagreesWithTheFile()
    {
        final long size = new StoreLayout(1000).fileSize();
        assertEquals((2 + 2 * 2 + 1000) * 4096L, size);
        SuperblockDescriptor.checkGeometry(superblock(1), size, FILE);
        final IncompatibleStoreException ex = assertThrowsExactly(IncompatibleStoreException.class,
            () -> SuperblockDescriptor.checkGeometry(superblock(1), size - 4096, FILE));
        assertEquals(IncompatibleStoreException.Problem.SIZE_MISMATCH, ex.problem());
        assertEquals("/data/s.store has size=" + (size - 4096) + " but its superblock (pageCount=1000) requires " +
            "size=" + size, ex.getMessage());
        final Superblock wrongCopy = new Superblock(4096, 1000, 2, 3, 0, 0, new long[16]);
        assertEquals(IncompatibleStoreException.Problem.CORRUPT_METADATA, assertThrowsExactly(
            IncompatibleStoreException.class, () -> SuperblockDescriptor.checkGeometry(wrongCopy, size, FILE))
            .problem());
        final Superblock markAboveMetadata = new Superblock(4096, 1000, 2, 3, 1, 0, new long[16], 0, 0, 0, 0, 1000, 3,
            0, 0);
        assertEquals(IncompatibleStoreException.Problem.CORRUPT_METADATA, assertThrowsExactly(
            IncompatibleStoreException.class, () -> SuperblockDescriptor.checkGeometry(markAboveMetadata, size, FILE))
            .problem());
    }

    @Test
    void shouldRefuseForeignMagicAndNewerVersion()
    {
        IncompatibleStoreException ex = assertThrowsExactly(IncompatibleStoreException.class,
            () -> FormatVersion.checkMagic(0x1234, FILE));
        assertEquals("/data/s.store is not a page store: magic=0x1234, expected 0x45524f54534d4d52", ex.getMessage());
        ex = assertThrowsExactly(IncompatibleStoreException.class, () -> FormatVersion.checkVersion(5, FILE));
        assertEquals(IncompatibleStoreException.Problem.NEWER_FORMAT, ex.problem());
        ex = assertThrowsExactly(IncompatibleStoreException.class, () -> FormatVersion.checkVersion(1, FILE));
        assertEquals(IncompatibleStoreException.Problem.OLDER_FORMAT, ex.problem());
        assertTrue(ex.getMessage().startsWith("/data/s.store has format version=1, older than the version=4 this " +
            "library reads and writes"), ex.getMessage());
        ex = assertThrowsExactly(IncompatibleStoreException.class, () -> FormatVersion.checkVersion(0, FILE));
        assertEquals("/data/s.store has format version=0, expected version=4", ex.getMessage());
    }
}

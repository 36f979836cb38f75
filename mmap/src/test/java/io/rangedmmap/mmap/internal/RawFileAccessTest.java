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
package io.rangedmmap.mmap.internal;

import io.rangedmmap.mmap.RawMmapFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The internal {@code pwrite} of a {@link RawMmapFile} ({@link RawFileAccess}) and the one descriptor behind it: the
 * bytes reach the mapping at once, the call is refused on a closed or read-only handle and outside the file, and a
 * file has exactly one descriptor in this process however it was opened and written (closing a second one would
 * drop the process's lock).
 */
class RawFileAccessTest
{
    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    /**
     * {@return the descriptors of this process open on {@code file}: the links of {@code /proc/self/fd} to its inode,
     * whatever name they were opened by (a create opens a temporary name, then links it)}
     */
    static List<Integer> descriptorsOf(final Path file) throws IOException
    {
        final Object key = Files.getAttribute(file, "unix:ino") + "@" + Files.getAttribute(file, "unix:dev");
        try (var links = Files.list(Path.of("/proc/self/fd")))
        {
            return links.filter(link -> key.equals(keyOf(link)))
                .map(link -> Integer.parseInt(link.getFileName().toString())).sorted().toList();
        }
    }

    private static String keyOf(final Path link)
    {
        try
        {
            // Follows the link: /proc resolves it to the open file itself, even once its name is gone.
            return Files.getAttribute(link, "unix:ino") + "@" + Files.getAttribute(link, "unix:dev");
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    private static byte[] filled(final int value)
    {
        final byte[] bytes = new byte[PAGE];
        Arrays.fill(bytes, (byte)value);
        return bytes;
    }

    @Test
    void shouldWriteThroughTheDescriptorIntoTheMapping() throws IOException
    {
        final Path file = dir.resolve("f.bin");
        try (RawMmapFile mapped = RawMmapFile.create(file, 4 * PAGE))
        {
            RawFileAccess.writeThrough(mapped, PAGE, filled(7));
            final byte[] read = new byte[PAGE];
            mapped.readAt(PAGE, read);
            assertArrayEquals(filled(7), read, "the mapping sees the pwrite at once (one page cache)");
            mapped.readAt(0, read);
            assertArrayEquals(new byte[PAGE], read, "nothing else was written");
            assertEquals(1, descriptorsOf(file).size(), "one descriptor: " + descriptorsOf(file));
        }
        assertEquals(List.of(), descriptorsOf(file));
    }

    @Test
    void shouldKeepOneDescriptorForAGrowableFileThroughGrowthAndWrites() throws IOException
    {
        final Path file = dir.resolve("g.bin");
        try (RawMmapFile created = RawMmapFile.create(file, PAGE))
        {
            assertEquals(1, descriptorsOf(created.path()).size(), "after create: " + descriptorsOf(file));
        }
        try (RawMmapFile mapped = RawMmapFile.openGrowable(file, 64 * PAGE))
        {
            final List<Integer> before = descriptorsOf(file);
            assertEquals(1, before.size(), "the native mapping uses the channel's descriptor: " + before);
            mapped.extend(8 * PAGE);
            RawFileAccess.writeThrough(mapped, 7 * PAGE, filled(3));
            mapped.flush();
            assertEquals(before, descriptorsOf(file), "fallocate and pwrite opened nothing");
            final byte[] read = new byte[PAGE];
            mapped.readAt(7 * PAGE, read);
            assertArrayEquals(filled(3), read);
            assertTrue(isLockedByThisProcess(file), "the lock is held");
        }
        assertEquals(List.of(), descriptorsOf(file));
        final byte[] onDisk = Files.readAllBytes(file);
        assertArrayEquals(filled(3), Arrays.copyOfRange(onDisk, 7 * PAGE, 8 * PAGE));
    }

    @Test
    void shouldRefuseAClosedAReadOnlyHandleAndBytesOutsideTheFile() throws IOException
    {
        final Path file = dir.resolve("r.bin");
        final RawMmapFile mapped = RawMmapFile.create(file, 2 * PAGE);
        final IndexOutOfBoundsException outside = assertThrowsExactly(IndexOutOfBoundsException.class,
            () -> RawFileAccess.writeThrough(mapped, PAGE + 1, filled(1)));
        assertTrue(outside.getMessage().contains("8192"), outside.getMessage());
        mapped.close();
        final IllegalStateException closed = assertThrowsExactly(IllegalStateException.class,
            () -> RawFileAccess.writeThrough(mapped, 0, filled(1)));
        assertTrue(closed.getMessage().contains(file.toString()), closed.getMessage());
        try (RawMmapFile readOnly = RawMmapFile.openReadOnly(file))
        {
            final IllegalStateException refused = assertThrowsExactly(IllegalStateException.class,
                () -> RawFileAccess.writeThrough(readOnly, 0, filled(1)));
            assertEquals(file.toAbsolutePath() + " is mapped read-only and refuses all writes and flushes",
                refused.getMessage());
        }
        assertArrayEquals(new byte[2 * PAGE], Files.readAllBytes(file), "nothing was written");
    }

    @Test
    void shouldReadThroughTheDescriptorWhatTheMappingHoldsReadOnlyOrWritable() throws IOException
    {
        final Path file = dir.resolve("p.bin");
        try (RawMmapFile mapped = RawMmapFile.create(file, 4 * PAGE))
        {
            mapped.writeAt(PAGE, filled(5));
            mapped.writeAt(2 * PAGE, filled(6));
            final byte[] two = new byte[2 * PAGE];
            RawFileAccess.readThrough(mapped, PAGE, two);
            assertArrayEquals(filled(5), Arrays.copyOfRange(two, 0, PAGE), "pread sees the mapped write at once");
            assertArrayEquals(filled(6), Arrays.copyOfRange(two, PAGE, 2 * PAGE));
            assertEquals(1, descriptorsOf(file).size(), "no second descriptor: " + descriptorsOf(file));
            final IndexOutOfBoundsException outside = assertThrowsExactly(IndexOutOfBoundsException.class,
                () -> RawFileAccess.readThrough(mapped, 3 * PAGE + 1, new byte[PAGE]));
            assertTrue(outside.getMessage().contains("16384"), outside.getMessage());
            mapped.flush();
        }
        final RawMmapFile readOnly = RawMmapFile.openReadOnly(file);
        final byte[] page = new byte[PAGE];
        RawFileAccess.readThrough(readOnly, 2 * PAGE, page);
        assertArrayEquals(filled(6), page, "a read-only handle reads too");
        readOnly.close();
        assertThrowsExactly(IllegalStateException.class, () -> RawFileAccess.readThrough(readOnly, 0, page));
        assertEquals(List.of(), descriptorsOf(file));
    }

    @Test
    void shouldRefuseASecondBridge()
    {
        final RawFileAccess.Bridge foreign = new RawFileAccess.Bridge()
        {
            @Override
            public void writeThrough(final RawMmapFile file, final long offset, final byte[] data)
            {
            }

            @Override
            public void writeThrough(final RawMmapFile file, final long offset, final MemorySegment buffer,
                final long length, final MemorySegment callState)
            {
            }

            @Override
            public void readThrough(final RawMmapFile file, final long offset, final byte[] dst)
            {
            }
        };
        final IllegalArgumentException ex = assertThrowsExactly(IllegalArgumentException.class,
            () -> RawFileAccess.install(foreign));
        assertTrue(ex.getMessage().startsWith("only RawMmapFile installs the bridge"), ex.getMessage());
    }

    @Test
    void shouldFindTheChannelsOwnDescriptorAndRestoreItsPosition() throws IOException
    {
        final Path file = dir.resolve("c.bin");
        Files.write(file, new byte[PAGE]);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            channel.position(123);
            final int fd = ChannelDescriptor.find(channel);
            assertEquals(descriptorsOf(file), List.of(fd));
            assertEquals(123, channel.position());
        }
    }

    /**
     * {@return whether {@code /proc/locks} lists a POSIX write lock of this process on {@code file}'s inode}
     */
    static boolean isLockedByThisProcess(final Path file) throws IOException
    {
        final long inode = ((Number)Files.getAttribute(file, "unix:ino")).longValue();
        final String pid = Long.toString(ProcessHandle.current().pid());
        return Files.readAllLines(Path.of("/proc/locks")).stream()
            .map(line -> line.trim().split("\\s+"))
            .anyMatch(f -> f.length > 5 && "POSIX".equals(f[1]) && "WRITE".equals(f[3]) && pid.equals(f[4]) &&
                f[5].endsWith(":" + inode));
    }
}

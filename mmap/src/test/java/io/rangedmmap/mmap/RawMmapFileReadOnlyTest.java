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
package io.rangedmmap.mmap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RawMmapFile#openReadOnly(Path)}: reads work, every write and flush is refused before touching the
 * read-only mapping (a write there would crash the JVM), and the file is left exactly as it was.
 */
class RawMmapFileReadOnlyTest
{
    private static final FileTime OLD = FileTime.from(1_000_000, TimeUnit.SECONDS);

    @TempDir
    Path dir;

    @Test
    void shouldReadAndRefuseEveryWriteAndFlush() throws Exception
    {
        final Path file = dir.resolve("f.bin");
        final byte[] content = new byte[8192];
        for (int i = 0; i < content.length; i++)
        {
            content[i] = (byte)i;
        }
        Files.write(file, content);
        Files.setLastModifiedTime(file, OLD);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        try (RawMmapFile mapped = RawMmapFile.openReadOnly(file))
        {
            assertTrue(mapped.isReadOnly());
            final byte[] back = new byte[8192];
            mapped.readAt(0, back);
            assertArrayEquals(content, back);
            final String refused = file.toAbsolutePath() + " is mapped read-only and refuses all writes and flushes";
            assertEquals(refused, assertThrowsExactly(IllegalStateException.class,
                () -> mapped.writeAt(0, new byte[1])).getMessage());
            assertThrowsExactly(IllegalStateException.class, () -> mapped.writeAt(0, ByteBuffer.allocate(1)));
            assertThrowsExactly(IllegalStateException.class,
                () -> mapped.writeAt(0, 8, view -> view.putByte(0, (byte)1)));
            assertThrowsExactly(IllegalStateException.class, mapped::flush);
            assertThrowsExactly(IllegalStateException.class, () -> mapped.flushRange(0, 4096));
            assertThrowsExactly(FileLockedException.class, () -> RawMmapFile.open(file));
            assertThrowsExactly(FileLockedException.class, () -> RawMmapFile.openReadOnly(file));
        }
        assertArrayEquals(content, Files.readAllBytes(file));
        assertEquals(OLD, Files.getLastModifiedTime(file));
    }
}

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

import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RawMmapFileTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWriteAndReadAtAnyOffsetAndPersist() throws IOException
    {
        final Path file = dir.resolve("raw.bin");
        try (RawMmapFile raw = RawMmapFile.create(file, 1024))
        {
            final RawMmapFile other = raw.share();
            raw.writeAt(0, new byte[]{1, 1, 1});
            other.writeAt(512, new byte[]{2, 2}, 0, 2);
            raw.writeAt(1000, ByteBuffer.wrap(new byte[]{3, 3, 3, 3}));
            raw.writeAt(1020, 4, view -> view.putInt(0, 0x04040404));
            other.flush();
            raw.flushRange(512, 2);
            other.close();
            final byte[] back = new byte[3];
            raw.readAt(0, back);
            assertArrayEquals(new byte[]{1, 1, 1}, back);
            raw.readAt(1020, 4, view -> assertEquals(0x04040404, view.getInt(0)));
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer all = ByteBuffer.allocate(1024);
            channel.read(all, 0);
            assertEquals(2, all.get(512));
            assertEquals(3, all.get(1003));
            assertEquals(4, all.get(1023));
        }
    }

    @Test
    void shouldBoundsCheckEveryAccess() throws IOException
    {
        try (RawMmapFile raw = RawMmapFile.create(dir.resolve("bounds.bin"), 4096))
        {
            assertEquals("Range [4095, 4095 + 2) out of bounds for length 4096",
                assertThrowsExactly(IndexOutOfBoundsException.class, () -> raw.writeAt(4095, new byte[2]))
                    .getMessage());
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> raw.writeAt(-1, new byte[1]));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> raw.writeAt(Long.MAX_VALUE, new byte[1]));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> raw.writeAt(0, new byte[4], 2, 3));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> raw.writeAt(4000, ByteBuffer.allocate(97)));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> raw.writeAt(0, 4097, RawMmapFileTest::ignore));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> raw.writeAt(0, -1, RawMmapFileTest::ignore));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> raw.readAt(4096, new byte[1]));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> raw.readAt(Long.MIN_VALUE, new byte[1]));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> raw.readAt(1, 4096, RawMmapFileTest::ignore));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> raw.flushRange(1, 4096));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> raw.flushRange(0, -1));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> raw.advise(4096, 1, Advice.RANDOM));
            raw.writeAt(4095, new byte[]{9});
            raw.writeAt(0, 4096, view -> assertThrowsExactly(IndexOutOfBoundsException.class,
                () -> view.putByte(4096, (byte)1)));
            final byte[] one = new byte[1];
            raw.readAt(4095, one);
            assertEquals(9, one[0]);
        }
    }

    @Test
    void shouldThrowOnAClosedHandle() throws IOException
    {
        final RawMmapFile raw = RawMmapFile.create(dir.resolve("closed.bin"), 4096);
        raw.close();
        raw.close();
        assertThrowsExactly(IllegalStateException.class, () -> raw.writeAt(0, new byte[1]));
        assertThrowsExactly(IllegalStateException.class, () -> raw.readAt(0, new byte[1]));
        assertThrowsExactly(IllegalStateException.class, raw::flush);
        assertThrowsExactly(IllegalStateException.class, raw::share);
        assertTrue(raw.isClosed());
    }

    private static void ignore(final DirectBuffer view)
    {
        // Never reached: each call it is passed to is refused before any view is made.
    }
}

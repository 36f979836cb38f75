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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Files past 2 GiB and 4 GiB are one mapping; offsets past 4 GiB land where they should in the file.
 */
class LargeFileTest
{
    private static final long SIZE = 5L << 30;
    private static final long FAR = (4L << 30) + (256L << 20);

    @TempDir
    Path dir;

    @Test
    void shouldWriteAndReadBackPast4GiBOfASparseFile() throws IOException
    {
        final Path file = dir.resolve("big.bin");
        final byte[] data = new byte[65536];
        Arrays.fill(data, (byte)0x5A);
        data[0] = 1;
        data[65535] = 2;
        try (Mapping<SequentialAllocator> m = MmapFile.create(file, SIZE, AllocatorType.SEQUENTIAL,
            CreateOption.SPARSE))
        {
            final AllocatedRange whole = m.allocator().allocate(SIZE).orElseThrow();
            assertEquals(SIZE, whole.length());
            final AllocatedRange.Split split = whole.splitAt(FAR);
            final AllocatedRange target = split.high().splitAt(65536).low();
            assertEquals(FAR, target.start());
            m.file().flushRange(m.file().writeRange(target, data));
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            assertEquals(SIZE, channel.size());
            final ByteBuffer back = ByteBuffer.allocate(65536);
            channel.read(back, FAR);
            assertArrayEquals(data, back.array());
        }
        try (Mapping<SequentialAllocator> m = MmapFile.open(file, AllocatorType.SEQUENTIAL, FAR))
        {
            final byte[] back = new byte[65536];
            m.file().readRange(m.allocator().allocate(65536).orElseThrow(), back);
            assertArrayEquals(data, back);
        }
        try (RawMmapFile raw = RawMmapFile.open(file))
        {
            raw.writeAt(SIZE - 3, new byte[]{7, 8, 9});
            final byte[] back = new byte[3];
            raw.readAt(SIZE - 3, back);
            assertArrayEquals(new byte[]{7, 8, 9}, back);
        }
    }
}

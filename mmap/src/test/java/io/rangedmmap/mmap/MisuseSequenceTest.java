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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

/**
 * Property-based misuse: 10,000 seeded random sequences mixing valid writes with foreign, stale, retired,
 * wrong-length, out-of-bounds and after-close calls. Every misuse is refused with its exception type, and after each
 * sequence the file holds exactly what the valid writes put there: no refused call wrote a byte.
 */
class MisuseSequenceTest
{
    private static final int SEQUENCES = 10_000;
    private static final int PAGES = 16;
    private static final int SIZE = PAGES * 4096;

    @TempDir
    Path dir;

    @Test
    void shouldRefuseEveryMisuseBeforeWritingAnything() throws Exception
    {
        final Path fileA = dir.resolve("a.bin");
        final Path fileB = dir.resolve("b.bin");
        MmapFile.createDefault(fileA, SIZE).close();
        MmapFile.createDefault(fileB, SIZE).close();
        final byte[] model = new byte[SIZE];
        final List<AllocatedRange> stale = new ArrayList<>();
        final long seed = 20261127L;
        for (int sequence = 0; sequence < SEQUENCES; sequence++)
        {
            final SplittableRandom random = new SplittableRandom(seed + sequence);
            try
            {
                runSequence(fileA, fileB, model, stale, random);
                assertArrayEquals(model, Files.readAllBytes(fileA), "file A differs from the model");
            }
            catch (final AssertionError | RuntimeException ex)
            {
                throw new AssertionError("sequence " + sequence + " (seed " + (seed + sequence) + ") failed", ex);
            }
        }
    }

    private static void runSequence(final Path fileA, final Path fileB, final byte[] model,
        final List<AllocatedRange> stale, final SplittableRandom random) throws Exception
    {
        try (Mapping<SequentialAllocator> a = MmapFile.openDefault(fileA);
            Mapping<SequentialAllocator> b = MmapFile.openDefault(fileB))
        {
            final List<AllocatedRange> ranges = new ArrayList<>();
            while (a.allocator().remaining() > 0)
            {
                ranges.add(a.allocator().allocate(4096L * (1 + random.nextInt(3))).orElseThrow());
            }
            final AllocatedRange foreign = b.allocator().allocate(4096).orElseThrow();
            final MmapFile closed = a.file().share();
            closed.close();
            final List<AllocatedRange> retired = new ArrayList<>();
            final int steps = 5 + random.nextInt(20);
            for (int step = 0; step < steps; step++)
            {
                final AllocatedRange range = ranges.get(random.nextInt(ranges.size()));
                final byte value = (byte)random.nextInt(256);
                final byte[] exact = filled((int)range.length(), value);
                switch (random.nextInt(9))
                {
                    case 0, 1 ->
                    {
                        if (!range.isRetired())
                        {
                            a.file().writeRange(range, exact);
                            Arrays.fill(model, (int)range.start(), (int)range.end(), value);
                        }
                    }
                    case 2 -> assertThrowsExactly(IllegalArgumentException.class,
                        () -> a.file().writeRange(range, filled(exact.length + 1 + random.nextInt(4096), value)));
                    case 3 -> assertThrowsExactly(IllegalArgumentException.class,
                        () -> a.file().writeRange(foreign, filled(4096, value)));
                    case 4 ->
                    {
                        if (!stale.isEmpty())
                        {
                            final AllocatedRange old = stale.get(random.nextInt(stale.size()));
                            assertThrowsExactly(IllegalArgumentException.class,
                                () -> a.file().writeRange(old, filled((int)old.length(), value)));
                        }
                    }
                    case 5 -> assertThrowsExactly(IllegalStateException.class,
                        () -> closed.writeRange(range, exact));
                    case 6 ->
                    {
                        if (!range.isRetired() && range.length() > 4096)
                        {
                            final AllocatedRange.Split split = range.splitAt(4096);
                            retired.add(range);
                            ranges.remove(range);
                            ranges.add(split.low());
                            ranges.add(split.high());
                        }
                        else if (!retired.isEmpty())
                        {
                            final AllocatedRange old = retired.get(random.nextInt(retired.size()));
                            assertThrowsExactly(IllegalStateException.class,
                                () -> a.file().writeRange(old, filled((int)old.length(), value)));
                        }
                    }
                    case 7 ->
                    {
                        final WriteReceipt other = b.file().writeRange(foreign, filled(4096, (byte)0));
                        assertThrowsExactly(IllegalArgumentException.class, () -> a.file().flushRange(other));
                    }
                    default -> assertThrowsExactly(IllegalArgumentException.class,
                        () -> a.file().writeRange(range, ByteBuffer.allocate(exact.length - 1)));
                }
            }
            if (stale.size() < 64)
            {
                stale.add(ranges.get(random.nextInt(ranges.size())));
            }
        }
    }

    private static byte[] filled(final int length, final byte value)
    {
        final byte[] data = new byte[length];
        Arrays.fill(data, value);
        return data;
    }
}

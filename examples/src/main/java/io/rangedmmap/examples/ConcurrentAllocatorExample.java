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
package io.rangedmmap.examples;

import io.rangedmmap.mmap.AllocatedRange;
import io.rangedmmap.mmap.AllocatorType;
import io.rangedmmap.mmap.ConcurrentAllocator;
import io.rangedmmap.mmap.Mapping;
import io.rangedmmap.mmap.MmapFile;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Four threads allocate 4 KiB ranges from the wait-free concurrent allocator until the file is full, writing and
 * flushing each one.
 */
public final class ConcurrentAllocatorExample
{
    private static final int THREADS = 4;

    private ConcurrentAllocatorExample()
    {
    }

    /**
     * Entry point.
     *
     * @param args the file to create (must not exist).
     * @throws Exception if anything fails.
     */
    public static void main(final String[] args) throws Exception
    {
        run(Path.of(args.length > 0 ? args[0] : "concurrent-example.bin"), System.out);
    }

    /**
     * Runs the example.
     *
     * @param file the file to create.
     * @param out  where to print.
     * @return how many ranges each thread wrote.
     * @throws Exception if anything fails.
     */
    public static long[] run(final Path file, final PrintStream out) throws Exception
    {
        final AtomicLongArray counts = new AtomicLongArray(THREADS);
        try (Mapping<ConcurrentAllocator> mapping = MmapFile.create(file, 100 * 4096, AllocatorType.CONCURRENT))
        {
            final Thread[] threads = new Thread[THREADS];
            for (int t = 0; t < THREADS; t++)
            {
                final int id = t;
                threads[t] = Thread.ofPlatform().start(() ->
                {
                    final byte[] data = RawApiExample.filled(4096, 42);
                    Optional<AllocatedRange> range;
                    while ((range = mapping.allocator().allocate(4096)).isPresent())
                    {
                        try
                        {
                            mapping.file().flushRange(mapping.file().writeRange(range.get(), data));
                        }
                        catch (final java.io.IOException ex)
                        {
                            throw new java.io.UncheckedIOException(ex);
                        }
                        counts.incrementAndGet(id);
                    }
                });
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            mapping.file().syncAll();
        }
        final long[] result = new long[THREADS];
        long total = 0;
        for (int t = 0; t < THREADS; t++)
        {
            result[t] = counts.get(t);
            total += result[t];
            out.println("thread " + t + " wrote " + result[t] + " ranges");
        }
        out.println("total " + total + " ranges of 4096 bytes: the file is full");
        return result;
    }
}

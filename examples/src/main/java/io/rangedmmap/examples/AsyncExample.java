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
import io.rangedmmap.mmap.WriteReceipt;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The library is runtime-agnostic: here 64 virtual threads each write a range, composed with
 * {@link CompletableFuture}, and one flush follows when all have completed.
 */
public final class AsyncExample
{
    private static final int TASKS = 64;
    private static final int CHUNK = 64 * 1024;

    private AsyncExample()
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
        run(Path.of(args.length > 0 ? args[0] : "async-example.bin"), System.out);
    }

    /**
     * Runs the example.
     *
     * @param file the file to create.
     * @param out  where to print.
     * @return the number of ranges written.
     * @throws Exception if anything fails.
     */
    public static int run(final Path file, final PrintStream out) throws Exception
    {
        try (Mapping<ConcurrentAllocator> mapping = MmapFile.create(file, (long)TASKS * CHUNK,
            AllocatorType.CONCURRENT);
            ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor())
        {
            final List<CompletableFuture<WriteReceipt>> writes = new ArrayList<>();
            for (int i = 0; i < TASKS; i++)
            {
                final byte value = (byte)i;
                writes.add(CompletableFuture.supplyAsync(() ->
                {
                    final AllocatedRange range = mapping.allocator().allocate(CHUNK).orElseThrow();
                    final byte[] data = RawApiExample.filled(CHUNK, value);
                    return mapping.file().writeRange(range, data);
                }, virtualThreads));
            }
            final CompletableFuture<Void> flushed = CompletableFuture
                .allOf(writes.toArray(CompletableFuture[]::new))
                .thenRunAsync(() ->
                {
                    try
                    {
                        for (final CompletableFuture<WriteReceipt> write : writes)
                        {
                            mapping.file().flushRange(write.join());
                        }
                    }
                    catch (final IOException ex)
                    {
                        throw new UncheckedIOException(ex);
                    }
                }, virtualThreads);
            flushed.join();
            out.println(TASKS + " virtual threads wrote " + TASKS + " ranges of " + CHUNK + " bytes; all flushed");
            return writes.size();
        }
    }
}

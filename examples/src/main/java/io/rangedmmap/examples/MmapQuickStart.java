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
import io.rangedmmap.mmap.Mapping;
import io.rangedmmap.mmap.MmapFile;
import io.rangedmmap.mmap.SequentialAllocator;
import io.rangedmmap.mmap.WriteReceipt;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The {@code mmap} layer's quick start: two threads write two ranges of one file at once with no lock, flush them,
 * then the file is reopened and read back. (The project's quick start, {@link QuickStart}, shows the page store.)
 *
 * <p>Run it with {@code mvn -q -pl examples -am package exec:exec -DskipTests
 * -Dexample.main=io.rangedmmap.examples.MmapQuickStart}.
 */
public final class MmapQuickStart
{
    private static final int HALF = 512 * 1024;

    private MmapQuickStart()
    {
    }

    /**
     * Entry point.
     *
     * @param args an optional path for the file; a temporary file is used and deleted otherwise.
     * @throws Exception if anything fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final boolean temporary = 0 == args.length;
        final Path file = temporary ?
            Files.createTempDirectory("ranged-mmap-").resolve("quickstart.bin") : Path.of(args[0]);
        try
        {
            run(file, System.out);
        }
        finally
        {
            if (temporary)
            {
                Files.deleteIfExists(file);
                Files.deleteIfExists(file.getParent());
            }
        }
    }

    /**
     * Runs the demo on {@code file}, printing what happens to {@code out}.
     *
     * @param file the file to create.
     * @param out  where to print.
     * @throws Exception if anything fails or the data read back differs.
     */
    public static void run(final Path file, final PrintStream out) throws Exception
    {
        out.println("1. create " + file + " (" + 2 * HALF + " bytes, blocks reserved)");
        final AllocatedRange[] ranges = new AllocatedRange[2];
        try (Mapping<SequentialAllocator> mapping = MmapFile.createDefault(file, 2 * HALF))
        {
            ranges[0] = mapping.allocator().allocate(HALF).orElseThrow();
            ranges[1] = mapping.allocator().allocate(HALF).orElseThrow();
            out.println("2. allocate two non-overlapping ranges: " + describe(ranges[0]) + " and " +
                describe(ranges[1]));

            final Thread[] writers = new Thread[2];
            for (int i = 0; i < 2; i++)
            {
                final int writer = i;
                // Each thread gets its own handle, as the Rust crate's clone(); all share one mapping.
                final MmapFile handle = mapping.file().share();
                writers[i] = Thread.ofPlatform().name("writer-" + (i + 1)).start(() ->
                {
                    try (handle)
                    {
                        final WriteReceipt receipt = handle.writeRange(ranges[writer], pattern(writer + 1));
                        handle.flushRange(receipt);
                        out.println("3. " + Thread.currentThread().getName() + " wrote " + HALF + " bytes of 0x0" +
                            (writer + 1) + " into " + describe(receipt.range()) + " and flushed it (msync MS_SYNC)");
                    }
                    catch (final IOException ex)
                    {
                        throw new UncheckedIOException(ex);
                    }
                });
            }
            for (final Thread writer : writers)
            {
                writer.join();
            }
            mapping.file().syncAll();
            out.println("4. syncAll: the whole file is on disk; close");
        }

        try (Mapping<SequentialAllocator> reopened = MmapFile.openDefault(file))
        {
            out.println("5. reopen " + file + ": size " + reopened.file().size());
            for (int i = 0; i < 2; i++)
            {
                final AllocatedRange range = reopened.allocator().allocate(HALF).orElseThrow();
                final byte[] back = new byte[HALF];
                reopened.file().readRange(range, back);
                if (!Arrays.equals(pattern(i + 1), back))
                {
                    throw new IllegalStateException("range " + describe(range) + " did not read back as written");
                }
                out.println("6. read back " + describe(range) + ": all " + HALF + " bytes are 0x0" + (i + 1) + " - OK");
            }
        }
        out.println("Done: two threads wrote two ranges with no lock, and every byte came back.");
    }

    private static byte[] pattern(final int value)
    {
        final byte[] data = new byte[HALF];
        Arrays.fill(data, (byte)value);
        return data;
    }

    private static String describe(final AllocatedRange range)
    {
        return "[" + range.start() + ", " + range.end() + ")";
    }
}

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
package io.rangedmmap.cli;

import io.rangedmmap.mmap.AllocatedRange;
import io.rangedmmap.mmap.AllocatorType;
import io.rangedmmap.mmap.Mapping;
import io.rangedmmap.mmap.MmapFile;
import io.rangedmmap.mmap.SequentialAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bench}: a short, built-in measurement of {@code MmapFile.writeRange} beside {@code FileChannel} positional
 * writes on this machine. It is a quick look, alternating the two in the same process; the JMH benchmarks in the
 * {@code benchmarks} module are the reference.
 */
@Command(name = "bench", description = "Measure writeRange beside FileChannel writes on this machine (a quick look; "
    + "the JMH benchmarks are the reference).")
final class BenchCommand implements Callable<Integer>
{
    @Option(names = "--size-mib", defaultValue = "256", description = "file size in MiB (default: ${DEFAULT-VALUE})")
    private int sizeMib;

    @Option(names = "--rounds", defaultValue = "5", description = "alternating rounds (default: ${DEFAULT-VALUE})")
    private int rounds;

    @Option(names = "--dir", description = "directory for the temporary files (default: the system temp dir)")
    private Path dir;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        if (sizeMib <= 0 || rounds <= 0)
        {
            throw new CommandLine.ParameterException(spec.commandLine(),
                "--size-mib=" + sizeMib + " and --rounds=" + rounds + " must be > 0");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final long size = (long)sizeMib << 20;
        final Path base = null == dir ? Files.createTempDirectory("ranged-mmap-bench") : dir;
        final Path mapped = base.resolve("bench-mmap.bin");
        final Path channelFile = base.resolve("bench-channel.bin");
        out.printf("write throughput, %d MiB files in %s, pages already in the page cache, best of %d rounds%n",
            sizeMib, base, rounds);
        out.printf("%-10s %14s %14s %8s%n", "write size", "writeRange", "FileChannel", "ratio");
        MmapFile.create(mapped, size, AllocatorType.SEQUENTIAL).close();
        try (FileChannel channel = FileChannel.open(channelFile, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE))
        {
            for (final int writeSize : new int[]{4096, 65536, 1 << 20})
            {
                // Reopening restarts the allocator at 0: the same bytes, cut into ranges of this size.
                try (Mapping<SequentialAllocator> mapping = MmapFile.openDefault(mapped))
                {
                    final List<AllocatedRange> ranges = new ArrayList<>();
                    for (long at = 0; at < size; at += writeSize)
                    {
                        ranges.add(mapping.allocator().allocate(writeSize).orElseThrow());
                    }
                    final double[] best = measure(mapping.file(), ranges, channel, size, writeSize);
                    out.printf("%-10s %9.2f GiB/s %9.2f GiB/s %7.2fx%n", label(writeSize), best[0] / (1 << 30),
                        best[1] / (1 << 30), best[0] / best[1]);
                    out.flush();
                }
            }
        }
        finally
        {
            Files.deleteIfExists(mapped);
            if (null == dir)
            {
                Files.deleteIfExists(base);
            }
        }
        return 0;
    }

    private double[] measure(final MmapFile file, final List<AllocatedRange> ranges, final FileChannel channel,
        final long size, final int writeSize) throws java.io.IOException
    {
        final byte[] data = new byte[writeSize];
        final ByteBuffer direct = ByteBuffer.allocateDirect(writeSize);
        double bestMapped = 0;
        double bestChannel = 0;
        for (int round = 0; round <= rounds; round++)
        {
            final long t0 = System.nanoTime();
            for (final AllocatedRange range : ranges)
            {
                file.writeRange(range, data);
            }
            final long t1 = System.nanoTime();
            for (long at = 0; at < size; at += writeSize)
            {
                direct.clear();
                while (direct.hasRemaining())
                {
                    channel.write(direct, at + direct.position());
                }
            }
            final long t2 = System.nanoTime();
            if (round > 0)
            {
                // Round 0 faults the pages in and warms the JIT up; it is not counted.
                bestMapped = Math.max(bestMapped, size / ((t1 - t0) / 1e9));
                bestChannel = Math.max(bestChannel, size / ((t2 - t1) / 1e9));
            }
        }
        return new double[]{bestMapped, bestChannel};
    }

    private static String label(final int size)
    {
        return size >= 1 << 20 ? (size >> 20) + " MiB" : (size >> 10) + " KiB";
    }
}

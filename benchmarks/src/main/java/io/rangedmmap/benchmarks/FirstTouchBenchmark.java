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
package io.rangedmmap.benchmarks;

import io.rangedmmap.mmap.AllocatedRange;
import io.rangedmmap.mmap.AllocatorType;
import io.rangedmmap.mmap.CreateOption;
import io.rangedmmap.mmap.Mapping;
import io.rangedmmap.mmap.MmapFile;
import io.rangedmmap.mmap.SequentialAllocator;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What does a downloader see when it fills a freshly created file: {@link MmapFile#writeRange} into a preallocated
 * file (the default of {@link MmapFile#create}: blocks reserved with {@code posix_fallocate}) against a sparse one
 * ({@link CreateOption#SPARSE}), and against {@link FileChannel} positional writes into a new empty file?
 *
 * <p>Every page is touched for the first time, so page faults (and, for the sparse file, block allocation at fault
 * time) dominate, not copying. First-touch figures on these VMs move by 3x or more from one minute to the next
 * ({@code FACTS.md}), so the variants are alternated inside every invocation, in a rotating order, and timed by
 * hand: one invocation creates, fills and deletes one 256 MiB file of each kind, in 64 KiB writes. Only the fill is
 * timed (from the first write to the last; creating, allocating the ranges, unmapping, closing and deleting are not).
 * Nothing is flushed: the files are deleted before the kernel writes them back.
 *
 * <p>The primary score (milliseconds per invocation, all three fills and their untimed work) is not the answer. The
 * answer is in the secondary counters, summed per iteration: {@code fills} (invocations) and the nanoseconds spent
 * filling in each variant; {@code io.rangedmmap.benchmarks.report.PeerTable} divides them into GiB/s per variant per
 * iteration and takes the median.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class FirstTouchBenchmark
{
    /**
     * Size of every file: 256 MiB.
     */
    static final long FILE_SIZE = 256L << 20;

    /**
     * Bytes per write: 64 KiB, a downloader's chunk.
     */
    static final int CHUNK = 64 << 10;

    /**
     * The time spent filling in each variant, summed over the iteration.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counters
    {
        /**
         * Invocations: each filled one file of each kind.
         */
        public long fills;

        /**
         * Nanoseconds filling preallocated mapped files.
         */
        public long preallocatedNanos;

        /**
         * Nanoseconds filling sparse mapped files.
         */
        public long sparseNanos;

        /**
         * Nanoseconds filling new files with {@code FileChannel} writes.
         */
        public long fileChannelNanos;

        /**
         * Clears the counters for the iteration.
         */
        @Setup(Level.Iteration)
        public void clear()
        {
            fills = 0;
            preallocatedNanos = 0;
            sparseNanos = 0;
            fileChannelNanos = 0;
        }
    }

    /**
     * The directory the files are created in, and the payload.
     */
    @State(Scope.Thread)
    public static class Workspace
    {
        Path dir;
        byte[] data;
        ByteBuffer direct;
        AllocatedRange[] ranges = new AllocatedRange[(int)(FILE_SIZE / CHUNK)];
        int rotation;

        /**
         * Creates the directory and the payload.
         *
         * @throws IOException if the directory cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
            data = new byte[CHUNK];
            ThreadLocalRandom.current().nextBytes(data);
            direct = ByteBuffer.allocateDirect(CHUNK);
            direct.put(data).clear();
        }

        /**
         * Deletes the directory.
         *
         * @throws IOException if it cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * One file of each kind, filled in a rotating order.
     *
     * @param workspace the directory and payload.
     * @param counters  where the fill times go.
     * @throws IOException if a file cannot be created, written or deleted.
     */
    @Benchmark
    public void fillEach(final Workspace workspace, final Counters counters) throws IOException
    {
        final int first = workspace.rotation++ % 3;
        for (int i = 0; i < 3; i++)
        {
            switch ((first + i) % 3)
            {
                case 0 -> counters.preallocatedNanos += mapped(workspace, false);
                case 1 -> counters.sparseNanos += mapped(workspace, true);
                default -> counters.fileChannelNanos += channel(workspace);
            }
        }
        counters.fills++;
    }

    private static long mapped(final Workspace workspace, final boolean sparse) throws IOException
    {
        final Path path = workspace.dir.resolve(sparse ? "sparse.bin" : "preallocated.bin");
        final long nanos;
        try (Mapping<SequentialAllocator> mapping = sparse ?
            MmapFile.create(path, FILE_SIZE, AllocatorType.SEQUENTIAL, CreateOption.SPARSE) :
            MmapFile.create(path, FILE_SIZE, AllocatorType.SEQUENTIAL))
        {
            final AllocatedRange[] ranges = workspace.ranges;
            for (int i = 0; i < ranges.length; i++)
            {
                ranges[i] = mapping.allocator().allocateExact(CHUNK).orElseThrow();
            }
            final MmapFile file = mapping.file();
            final byte[] data = workspace.data;
            final long start = System.nanoTime();
            for (final AllocatedRange range : ranges)
            {
                file.writeRange(range, data);
            }
            nanos = System.nanoTime() - start;
        }
        Files.delete(path);
        return nanos;
    }

    private static long channel(final Workspace workspace) throws IOException
    {
        final Path path = workspace.dir.resolve("channel.bin");
        final long nanos;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            final ByteBuffer src = workspace.direct;
            final long start = System.nanoTime();
            for (long position = 0; position < FILE_SIZE; position += CHUNK)
            {
                src.clear();
                StoreWriteBenchmark.writeFully(channel, src, position);
            }
            nanos = System.nanoTime() - start;
        }
        Files.delete(path);
        return nanos;
    }
}

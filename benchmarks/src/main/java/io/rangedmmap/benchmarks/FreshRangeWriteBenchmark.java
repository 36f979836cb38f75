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
import io.rangedmmap.mmap.ConcurrentAllocator;
import io.rangedmmap.mmap.Mapping;
import io.rangedmmap.mmap.MmapFile;
import io.rangedmmap.mmap.WriteReceipt;
import org.agrona.concurrent.UnsafeBuffer;
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
import org.openjdk.jmh.infra.ThreadParams;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * 4 KiB writes each into a block the writer has just cut off, at 1 and 2 threads: the pattern of a writer that takes a
 * large range and fills it block by block (a downloader's part, a log segment), as opposed to
 * {@link MmapWriteBenchmark}'s cycle over ranges made in its setup.
 *
 * <p>Why a second benchmark: {@code MmapWriteBenchmark} cycles each thread over up to 262,144 range objects and comes
 * back to one only after writing a gibibyte, so every write starts with a cache miss on its range object, and the
 * copy cannot start before that load returns. Its {@code unsafeBufferAtRange} arm shows that miss is most of its gap
 * to raw {@code putBytes}: a hand-written writer that kept one object per block would pay it too. Here the range is
 * made just before it is written, so its object is hot, and what is left between the two arms is the library's cost.
 * <ul>
 *     <li>{@code splitWriteRange}: the thread cuts a 4 KiB range off the front of its current 1 MiB range with
 *     {@link AllocatedRange#splitAt(long)} (two new ranges, the old one retired), then
 *     {@link MmapFile#writeRange(AllocatedRange, byte[])} with every safety property on (close never crashes a
 *     writer, a fault surfaces inside the call, one writer per range, the receipt). Its 1 MiB ranges come from the
 *     file's {@link ConcurrentAllocator} in the setup, where they are written once.</li>
 *     <li>{@code bumpPutBytes}, the hand-written ceiling: the thread bumps its own offset and copies with
 *     {@link UnsafeBuffer#putBytes(int, byte[])} over a {@code FileChannel.map(READ_WRITE, ..., Arena.ofShared())} of a
 *     second file, written once in the setup the same way; no checks but Agrona's bounds check.</li>
 * </ul>
 * Both write each thread's own contiguous share of a {@value #FILE_MIB} MiB file, front to back, through the mapping
 * that wrote it in the setup, so every page is in the page cache, dirty and mapped writable: a freshly made mapping,
 * or a page the kernel has written back since, costs a write fault of 1-2 microseconds on the page's first write on
 * these machines, which would swamp both arms (that is also why the file is small).
 *
 * <p>A block can be cut only once, so a trial is a fixed number of writes: each iteration is one batch of
 * {@value #BATCH} writes per thread ({@code SingleShotTime}, the score is the time of a batch), and the default
 * iterations stay inside each thread's share at 2 threads. The warm-up is long (30 batches) because a fixed number of
 * writes is all a trial has: with 12 half batches, C2 was still compiling the library's write path (tier 4 of
 * {@code writeRange}, an OSR of the batch loop, the lower tiers made not entrant) during the measured batches, and at
 * 2 threads on 2 cores the compiler thread took a core from a writer, so batches slowed from 1 ms to 3-20 ms
 * ({@code -XX:+PrintCompilation}, 2026-11-30). The heap is fixed and touched at start ({@code -XX:+AlwaysPreTouch}):
 * the library's arm allocates about 140 bytes a write, and once its young generation grew past the memory the JVM had
 * touched before, every new 4 KiB of heap cost a first-touch fault (on these Firecracker guests, backed by the host
 * only then: about 10 microseconds), so its batches stepped from 1 ms to 2.5-3.5 ms after about 105,000 writes, at 1
 * or 2 threads alike (with {@code -XX:+UseEpsilonGC}, whose heap is always fresh, they took 2.6 ms throughout). That
 * was the "2-thread slowdown" of the first runs: the 2-thread trial wrote twice as much in the same iterations.
 * Throughput ratio = the baseline's time / the library's. Run with {@code -prof gc}: the library allocates two ranges,
 * their receipts and a {@code Split} a write; the baseline nothing.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 30, batchSize = FreshRangeWriteBenchmark.BATCH)
@Measurement(iterations = 12, batchSize = FreshRangeWriteBenchmark.BATCH)
@Fork(value = 3, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
    "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
public class FreshRangeWriteBenchmark
{
    /**
     * Writes per thread per iteration: (30 + 12) x 4,000 writes of 4 KiB = 656 MiB, inside a thread's share at 2
     * threads (768 MiB).
     */
    static final int BATCH = 4_000;

    /**
     * File size in MiB: small enough that the file's dirty pages stay under the kernel's background writeback
     * threshold (10% of available memory by default: 2.3 GB on these 24 GB machines), whose cleaning would
     * write-protect pages before the benchmark reaches them.
     */
    static final int FILE_MIB = 1536;

    private static final long FILE_SIZE = (long)FILE_MIB << 20;
    private static final int CHUNK = 1 << 20;
    private static final int SIZE = 4096;

    /**
     * The library's file: one mapping for the trial, cut into 1 MiB ranges written once.
     */
    @State(Scope.Benchmark)
    public static class RangedFile
    {
        Path dir;
        Mapping<ConcurrentAllocator> mapping;
        MmapFile file;
        AllocatedRange[] chunks;

        /**
         * Creates the file, allocates it as 1 MiB ranges and writes each once.
         *
         * @throws IOException if the file cannot be made.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
            mapping = MmapFile.create(dir.resolve("ranged.bin"), FILE_SIZE, AllocatorType.CONCURRENT);
            file = mapping.file();
            chunks = new AllocatedRange[FILE_MIB];
            final byte[] fill = new byte[CHUNK];
            ThreadLocalRandom.current().nextBytes(fill);
            for (int i = 0; i < chunks.length; i++)
            {
                chunks[i] = mapping.allocator().allocateExact(CHUNK).orElseThrow();
                file.writeRange(chunks[i], fill);
            }
        }

        /**
         * Closes and deletes the file.
         *
         * @throws IOException if it cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            mapping.close();
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * One thread's cursor over its share of the library's 1 MiB ranges.
     */
    @State(Scope.Thread)
    public static class Cutter
    {
        final byte[] data = new byte[SIZE];
        int nextChunk;
        int lastChunk;
        AllocatedRange rest;

        /**
         * Picks this thread's share of the ranges.
         *
         * @param thread which thread this is.
         */
        @Setup(Level.Trial)
        public void setUp(final ThreadParams thread)
        {
            ThreadLocalRandom.current().nextBytes(data);
            final int share = FILE_MIB / thread.getThreadCount();
            nextChunk = thread.getThreadIndex() * share;
            lastChunk = nextChunk + share;
        }

        AllocatedRange next(final RangedFile file)
        {
            if (null == rest && nextChunk == lastChunk)
            {
                throw new IllegalStateException("this thread's share of the file (" + FILE_MIB / 2 * (CHUNK / SIZE) +
                    " writes at 2 threads) is used up: run fewer or smaller iterations a fork");
            }
            final AllocatedRange current = null == rest ? file.chunks[nextChunk++] : rest;
            if (SIZE == current.length())
            {
                rest = null;
                return current;
            }
            final AllocatedRange.Split split = current.splitAt(SIZE);
            rest = split.high();
            return split.low();
        }
    }

    /**
     * The baseline's file: one mapping for the trial, written once.
     */
    @State(Scope.Benchmark)
    public static class RawFile
    {
        Path dir;
        FileChannel channel;
        Arena arena;
        MemorySegment segment;

        /**
         * Creates the file the way the library does, maps it and writes every page once.
         *
         * @throws IOException if the file cannot be made.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
            final Path path = dir.resolve("raw.bin");
            // Blocks reserved with posix_fallocate, as the library's file; then mapped by hand.
            MmapFile.createDefault(path, FILE_SIZE).close();
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            arena = Arena.ofShared();
            segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE, arena);
            final byte[] fill = new byte[CHUNK];
            ThreadLocalRandom.current().nextBytes(fill);
            final UnsafeBuffer whole = new UnsafeBuffer();
            for (long offset = 0; offset < FILE_SIZE; offset += CHUNK)
            {
                whole.wrap(segment.address() + offset, CHUNK);
                whole.putBytes(0, fill);
            }
        }

        /**
         * Unmaps and deletes the file.
         *
         * @throws IOException if it cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            arena.close();
            channel.close();
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * One thread's buffer over its share of the baseline's file, and its offset.
     */
    @State(Scope.Thread)
    public static class Bumper
    {
        final byte[] data = new byte[SIZE];
        final UnsafeBuffer share = new UnsafeBuffer();
        int next;

        /**
         * Wraps this thread's share of the file.
         *
         * @param thread which thread this is.
         * @param file   the baseline's file.
         */
        @Setup(Level.Trial)
        public void setUp(final ThreadParams thread, final RawFile file)
        {
            ThreadLocalRandom.current().nextBytes(data);
            final long bytes = (long)(FILE_MIB / thread.getThreadCount()) * CHUNK;
            share.wrap(file.segment.address() + thread.getThreadIndex() * bytes, (int)bytes);
        }
    }

    /**
     * The library at one thread.
     *
     * @param file   the file.
     * @param cutter this thread's ranges.
     * @return the receipt.
     */
    @Benchmark
    @Threads(1)
    public WriteReceipt splitWriteRangeOneThread(final RangedFile file, final Cutter cutter)
    {
        return file.file.writeRange(cutter.next(file), cutter.data);
    }

    /**
     * The library at two threads.
     *
     * @param file   the file.
     * @param cutter this thread's ranges.
     * @return the receipt.
     */
    @Benchmark
    @Threads(2)
    public WriteReceipt splitWriteRangeTwoThreads(final RangedFile file, final Cutter cutter)
    {
        return file.file.writeRange(cutter.next(file), cutter.data);
    }

    /**
     * The ceiling at one thread.
     *
     * @param bumper this thread's share and offset.
     */
    @Benchmark
    @Threads(1)
    public void bumpPutBytesOneThread(final Bumper bumper)
    {
        bumpPutBytes(bumper);
    }

    /**
     * The ceiling at two threads.
     *
     * @param bumper this thread's share and offset.
     */
    @Benchmark
    @Threads(2)
    public void bumpPutBytesTwoThreads(final Bumper bumper)
    {
        bumpPutBytes(bumper);
    }

    private static void bumpPutBytes(final Bumper bumper)
    {
        final int offset = bumper.next;
        bumper.next = offset + SIZE;
        bumper.share.putBytes(offset, bumper.data);
    }
}

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
import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.mmap.WriteReceipt;
import io.rangedmmap.mmap.internal.HandleGate;
import io.rangedmmap.mmap.internal.NativeIo;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Where do the nanoseconds of a 4 KiB {@link MmapFile#writeRange(AllocatedRange, byte[])} go? Each arm adds one layer
 * to a raw {@link UnsafeBuffer#putBytes(int, byte[])} into a mapped file, so that the difference between an arm and
 * {@code raw} is what that layer costs, all in one run:
 * <ul>
 *     <li>{@code raw}: the copy alone, into a file mapped by hand.</li>
 *     <li>{@code rawPlusDowncall}: + the trivial downcall after each copy that makes a pending mapping fault surface
 *     inside the call (the price of "a fault surfaces inside the call").</li>
 *     <li>{@code rawPlusGate}: + the close gate's enter and exit, two atomic adds on this thread's cell (the price of
 *     "close never crashes").</li>
 *     <li>{@code rawPlusRangeCas}: + a CAS to claim the block and a release store to give it back (the price of "one
 *     writer per range").</li>
 *     <li>{@code rawPlusReceipt}: + allocating a 16-byte receipt that escapes to the caller.</li>
 *     <li>{@code rawMmapFile}: {@link RawMmapFile#writeAt(long, byte[])}: gate, bounds and failure checks, copy and
 *     downcall.</li>
 *     <li>{@code writeRange}: {@link MmapFile#writeRange(AllocatedRange, byte[])}: all of it, with the receipt.</li>
 * </ul>
 *
 * <p>Each thread cycles over its own {@code blocksPerThread} blocks of each file (at least 64 MiB), written once in
 * {@code @Setup} so the pages are faulted in. The default, 2,048 blocks (8 MiB), stays in this VM's caches, so the
 * copy is as cheap as it gets (about 56 ns) and every layer weighs most; 32,768 blocks (128 MiB a thread) is what a
 * writer of fresh ranges meets (a downloader or a log writes each range once), where the copy goes to memory. Run
 * with {@code -t 1} and {@code -t 2}, and {@code -prof gc}. Scores are nanoseconds per 4 KiB write.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class WriteLayersBenchmark
{
    static final int SIZE = 4096;
    static final long MIN_FILE_SIZE = 64L << 20;

    /**
     * Blocks each thread cycles over: a power of two.
     */
    @Param({"2048"})
    int blocksPerThread;

    long fileSize;

    private static final VarHandle STATES = MethodHandles.arrayElementVarHandle(int[].class);

    Path dir;
    Mapping<ConcurrentAllocator> mapping;
    AllocatedRange[] ranges;
    RawMmapFile raw;
    FileChannel channel;
    Arena arena;
    UnsafeBuffer mapped;
    HandleGate gate;

    /**
     * A 16-byte object that escapes, like a receipt.
     *
     * @param block the block written.
     */
    public record Receipt(int block)
    {
    }

    /**
     * This thread's blocks and payload.
     */
    @State(Scope.Thread)
    public static class Slice
    {
        int first;
        int cursor;
        byte[] data;
        /**
         * One claim word per block, spaced a cache line apart, for {@code rawPlusRangeCas}.
         */
        int[] states;

        /**
         * Picks this thread's blocks.
         *
         * @param thread    this thread's index.
         * @param benchmark the shared state, for {@code blocksPerThread}.
         */
        int mask;

        @Setup(Level.Trial)
        public void setUp(final ThreadParams thread, final WriteLayersBenchmark benchmark)
        {
            final int blocks = benchmark.blocksPerThread;
            if (Integer.bitCount(blocks) != 1)
            {
                throw new IllegalArgumentException("blocksPerThread=" + blocks + " must be a power of two");
            }
            mask = blocks - 1;
            first = thread.getThreadIndex() * blocks;
            data = new byte[SIZE];
            ThreadLocalRandom.current().nextBytes(data);
            states = new int[blocks * 16];
        }

        int next()
        {
            final int block = first + cursor;
            cursor = (cursor + 1) & mask;
            return block;
        }
    }

    /**
     * Creates the three files and writes every block of each once.
     *
     * @param params the run's parameters, for its thread count.
     * @throws IOException if a file cannot be created.
     */
    @Setup(Level.Trial)
    public void setUp(final BenchmarkParams params) throws IOException
    {
        fileSize = Math.max(MIN_FILE_SIZE, (long)params.getThreads() * blocksPerThread * SIZE);
        dir = Files.createTempDirectory("rangedmmap-layers-");
        mapping = MmapFile.create(dir.resolve("ranged.bin"), fileSize, AllocatorType.CONCURRENT);
        final byte[] fill = new byte[SIZE];
        ranges = new AllocatedRange[(int)(fileSize / SIZE)];
        for (int i = 0; i < ranges.length; i++)
        {
            ranges[i] = mapping.allocator().allocateExact(SIZE).orElseThrow();
            mapping.file().writeRange(ranges[i], fill);
        }
        raw = RawMmapFile.create(dir.resolve("raw.bin"), fileSize);
        MmapFile.createDefault(dir.resolve("mapped.bin"), fileSize).close();
        channel = FileChannel.open(dir.resolve("mapped.bin"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        arena = Arena.ofShared();
        mapped = new UnsafeBuffer(channel.map(FileChannel.MapMode.READ_WRITE, 0, fileSize, arena).address(),
            (int)fileSize);
        for (long offset = 0; offset < fileSize; offset += SIZE)
        {
            raw.writeAt(offset, fill);
            mapped.putBytes((int)offset, fill);
        }
        gate = new HandleGate("layers");
    }

    /**
     * Closes and deletes the files.
     *
     * @throws IOException if they cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        mapping.close();
        raw.close();
        arena.close();
        channel.close();
        try (var files = Files.list(dir))
        {
            for (final Path file : files.toList())
            {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    /**
     * The copy alone.
     *
     * @param slice this thread's blocks.
     */
    @Benchmark
    public void raw(final Slice slice)
    {
        mapped.putBytes(slice.next() * SIZE, slice.data);
    }

    /**
     * The copy and the fault-delivering downcall.
     *
     * @param slice this thread's blocks.
     */
    @Benchmark
    public void rawPlusDowncall(final Slice slice)
    {
        mapped.putBytes(slice.next() * SIZE, slice.data);
        NativeIo.deliverPendingFaults();
    }

    /**
     * The copy inside the close gate.
     *
     * @param slice this thread's blocks.
     */
    @Benchmark
    public void rawPlusGate(final Slice slice)
    {
        final int cell = gate.enter();
        try
        {
            mapped.putBytes(slice.next() * SIZE, slice.data);
        }
        finally
        {
            gate.exit(cell);
        }
    }

    /**
     * The copy between a claiming CAS and a releasing store.
     *
     * @param slice this thread's blocks.
     */
    @Benchmark
    public void rawPlusRangeCas(final Slice slice)
    {
        final int block = slice.next();
        final int word = (block - slice.first) * 16;
        if (!STATES.compareAndSet(slice.states, word, 0, -1))
        {
            throw new IllegalStateException("block=" + block + " is busy");
        }
        try
        {
            mapped.putBytes(block * SIZE, slice.data);
        }
        finally
        {
            STATES.setRelease(slice.states, word, 0);
        }
    }

    /**
     * The copy and a receipt.
     *
     * @param slice this thread's blocks.
     * @return the receipt.
     */
    @Benchmark
    public Receipt rawPlusReceipt(final Slice slice)
    {
        final int block = slice.next();
        mapped.putBytes(block * SIZE, slice.data);
        return new Receipt(block);
    }

    /**
     * {@code RawMmapFile.writeAt}.
     *
     * @param slice this thread's blocks.
     */
    @Benchmark
    public void rawMmapFile(final Slice slice)
    {
        raw.writeAt((long)slice.next() * SIZE, slice.data);
    }

    /**
     * {@code MmapFile.writeRange}.
     *
     * @param slice this thread's blocks.
     * @return the receipt.
     */
    @Benchmark
    public WriteReceipt writeRange(final Slice slice)
    {
        return mapping.file().writeRange(ranges[slice.next()], slice.data);
    }
}

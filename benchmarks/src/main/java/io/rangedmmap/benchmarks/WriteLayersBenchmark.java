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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
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
 * <p>Each thread cycles over its own 2,048 blocks (8 MiB) of each 64 MiB file, written once in {@code @Setup} so the
 * pages are faulted in. Run with {@code -t 1} and {@code -t 2}, and {@code -prof gc}. Scores are nanoseconds per
 * 4 KiB write.
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
    static final int BLOCKS_PER_THREAD = 2048;
    static final long FILE_SIZE = 64L << 20;

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
         * @param thread this thread's index.
         */
        @Setup(Level.Trial)
        public void setUp(final ThreadParams thread)
        {
            first = thread.getThreadIndex() * BLOCKS_PER_THREAD;
            data = new byte[SIZE];
            ThreadLocalRandom.current().nextBytes(data);
            states = new int[BLOCKS_PER_THREAD * 16];
        }

        int next()
        {
            final int block = first + cursor;
            cursor = (cursor + 1) & (BLOCKS_PER_THREAD - 1);
            return block;
        }
    }

    /**
     * Creates the three files and writes every block of each once.
     *
     * @throws IOException if a file cannot be created.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("rangedmmap-layers-");
        mapping = MmapFile.create(dir.resolve("ranged.bin"), FILE_SIZE, AllocatorType.CONCURRENT);
        final byte[] fill = new byte[SIZE];
        ranges = new AllocatedRange[(int)(FILE_SIZE / SIZE)];
        for (int i = 0; i < ranges.length; i++)
        {
            ranges[i] = mapping.allocator().allocateExact(SIZE).orElseThrow();
            mapping.file().writeRange(ranges[i], fill);
        }
        raw = RawMmapFile.create(dir.resolve("raw.bin"), FILE_SIZE);
        MmapFile.createDefault(dir.resolve("mapped.bin"), FILE_SIZE).close();
        channel = FileChannel.open(dir.resolve("mapped.bin"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        arena = Arena.ofShared();
        mapped = new UnsafeBuffer(channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE, arena).address(),
            (int)FILE_SIZE);
        for (long offset = 0; offset < FILE_SIZE; offset += SIZE)
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

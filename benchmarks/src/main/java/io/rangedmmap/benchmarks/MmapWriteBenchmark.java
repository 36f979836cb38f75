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
import io.rangedmmap.mmap.SequentialAllocator;
import io.rangedmmap.mmap.WriteReceipt;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * How fast does {@link MmapFile#writeRange(AllocatedRange, byte[])} move payload into a mapped file, against the
 * hardware ceiling and the plain-JDK ways of writing a file?
 *
 * <p>Each variant writes {@code size}-byte blocks (4 KiB, 64 KiB, 1 MiB) into a 1 GiB file whose pages are already
 * faulted in (every byte written once in {@code @Setup}), at 1 and 2 threads. Each thread owns one contiguous half
 * (or all) of the file and cycles over its own blocks, so threads never write the same bytes. Every file is created
 * the same way ({@link MmapFile#create}, blocks reserved with {@code posix_fallocate}) and then filled the way its
 * variant writes. Only one variant's file exists at a time (1 GiB, deleted in {@code @TearDown}), except for
 * {@code unsafeBufferAtRange}, which has two.
 * <ul>
 *     <li>{@code writeRange}: the library; each thread writes its own {@link AllocatedRange}s, issued by the
 *     file's {@link ConcurrentAllocator}. Returns the {@link WriteReceipt}, the one allocation a write may make.</li>
 *     <li>{@code unsafeBuffer}, baseline (a), the ceiling: {@link UnsafeBuffer#putBytes(int, byte[])} over a
 *     {@code FileChannel.map(READ_WRITE, 0, 1 GiB, Arena.ofShared())} of a second file, no checks but Agrona's
 *     bounds check. (The library's own mapping is not reachable: it holds the file's lock.)</li>
 *     <li>{@code unsafeBufferAtRange}: baseline (a) writing at the offset it reads from the block's
 *     {@link AllocatedRange} (those of a {@code writeRange} file), which prices the cache miss on a range object
 *     that the cycle over 262,144 of them makes on every write; the library's checks cost {@code writeRange} minus
 *     this arm.</li>
 *     <li>{@code fileChannel}, baseline (b): {@link FileChannel#write(ByteBuffer, long)} from a direct buffer,
 *     one channel shared by the threads.</li>
 *     <li>{@code randomAccessFile}, baseline (c): {@link RandomAccessFile} {@code seek} + {@code write} under one
 *     lock shared by the threads (seek and write are two calls on one file pointer).</li>
 * </ul>
 *
 * <p>Scores are operations per second; one operation moves {@code size} bytes, so payload bytes per second is the
 * score times {@code size} ({@code io.rangedmmap.benchmarks.report.RatioTable} prints GiB/s and the ratios). Run
 * with {@code -prof gc}: {@code gc.alloc.rate.norm} of {@code writeRange} should be the receipt alone (16 bytes
 * with compressed pointers).
 *
 * <p>Targets (issue 2): {@code writeRange} within 10% of {@code unsafeBuffer} at 64 KiB and 1 MiB, within 25% at
 * 4 KiB, and faster than {@code fileChannel} and {@code randomAccessFile} at every size.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class MmapWriteBenchmark
{
    /**
     * Size of every file: 1 GiB.
     */
    static final long FILE_SIZE = 1L << 30;

    /**
     * Bytes per write.
     */
    @Param({"4096", "65536", "1048576"})
    public int size;

    /**
     * The blocks one thread writes, and its own payload: a slice of the file's {@code size}-byte blocks, cycled
     * over in order.
     */
    @State(Scope.Thread)
    public static class Slice
    {
        int first;
        int count;
        int cursor;
        byte[] data;
        ByteBuffer direct;

        /**
         * Picks this thread's contiguous share of the file and fills its payload with random bytes.
         *
         * @param benchmark the benchmark's parameters ({@code size}).
         * @param thread    this thread's index and the thread count.
         */
        @Setup(Level.Trial)
        public void setUp(final BenchmarkParams benchmark, final ThreadParams thread)
        {
            final int size = Integer.parseInt(benchmark.getParam("size"));
            final int blocks = (int)(FILE_SIZE / size);
            count = blocks / thread.getThreadCount();
            first = thread.getThreadIndex() * count;
            cursor = 0;
            data = new byte[size];
            ThreadLocalRandom.current().nextBytes(data);
            direct = ByteBuffer.allocateDirect(size);
            direct.put(data).clear();
        }

        int nextBlock()
        {
            final int block = first + cursor;
            if (++cursor == count)
            {
                cursor = 0;
            }
            return block;
        }
    }

    /**
     * The library's file: an {@link MmapFile} and its ranges, one per block, each written once.
     */
    @State(Scope.Benchmark)
    public static class RangedFile
    {
        Path dir;
        Mapping<ConcurrentAllocator> mapping;
        MmapFile file;
        AllocatedRange[] ranges;

        /**
         * Creates the file, allocates every block as a range and writes each once to fault its pages in.
         *
         * @param benchmark the benchmark's parameters ({@code size}).
         * @throws IOException if the file cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp(final BenchmarkParams benchmark) throws IOException
        {
            final int size = Integer.parseInt(benchmark.getParam("size"));
            dir = Files.createTempDirectory("rangedmmap-bench-");
            mapping = MmapFile.create(dir.resolve("ranged.bin"), FILE_SIZE, AllocatorType.CONCURRENT);
            file = mapping.file();
            ranges = new AllocatedRange[(int)(FILE_SIZE / size)];
            final byte[] fill = new byte[size];
            ThreadLocalRandom.current().nextBytes(fill);
            for (int i = 0; i < ranges.length; i++)
            {
                ranges[i] = mapping.allocator().allocateExact(size).orElseThrow();
                file.writeRange(ranges[i], fill);
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
            deleteTree(dir);
        }
    }

    /**
     * Baseline (a): a second file mapped by hand, written through one {@link UnsafeBuffer} over the mapping.
     */
    @State(Scope.Benchmark)
    public static class RawMapping
    {
        Path dir;
        FileChannel channel;
        Arena arena;
        UnsafeBuffer buffer;

        /**
         * Creates the file like the library does, maps it whole in a shared arena and writes every block once.
         *
         * @param benchmark the benchmark's parameters ({@code size}).
         * @throws IOException if the file cannot be created or mapped.
         */
        @Setup(Level.Trial)
        public void setUp(final BenchmarkParams benchmark) throws IOException
        {
            final int size = Integer.parseInt(benchmark.getParam("size"));
            dir = Files.createTempDirectory("rangedmmap-bench-");
            final Path path = reservedFile(dir.resolve("raw.bin"));
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            arena = Arena.ofShared();
            final MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_SIZE, arena);
            buffer = new UnsafeBuffer(segment.address(), (int)FILE_SIZE);
            final byte[] fill = new byte[size];
            ThreadLocalRandom.current().nextBytes(fill);
            for (int offset = 0; offset < FILE_SIZE; offset += size)
            {
                buffer.putBytes(offset, fill);
            }
        }

        /**
         * Unmaps, closes and deletes the file; the buffer is dropped first, since a view over an unmapped address
         * crashes the JVM.
         *
         * @throws IOException if it cannot be closed or deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            buffer = null;
            arena.close();
            channel.close();
            deleteTree(dir);
        }
    }

    /**
     * Baselines (b) and (c): a file written with system calls, its pages in the page cache.
     */
    @State(Scope.Benchmark)
    public static class PlainFile
    {
        Path dir;
        FileChannel channel;
        RandomAccessFile raf;

        /**
         * Creates the file like the library does and writes every block once through a {@link FileChannel}.
         *
         * @param benchmark the benchmark's parameters ({@code size}).
         * @throws IOException if the file cannot be created or written.
         */
        @Setup(Level.Trial)
        public void setUp(final BenchmarkParams benchmark) throws IOException
        {
            final int size = Integer.parseInt(benchmark.getParam("size"));
            dir = Files.createTempDirectory("rangedmmap-bench-");
            final Path path = reservedFile(dir.resolve("plain.bin"));
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            raf = new RandomAccessFile(path.toFile(), "rw");
            final byte[] fill = new byte[size];
            ThreadLocalRandom.current().nextBytes(fill);
            final ByteBuffer src = ByteBuffer.allocateDirect(size);
            src.put(fill);
            for (long position = 0; position < FILE_SIZE; position += size)
            {
                src.clear();
                writeFully(channel, src, position);
            }
        }

        /**
         * Closes and deletes the file.
         *
         * @throws IOException if it cannot be closed or deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            raf.close();
            channel.close();
            deleteTree(dir);
        }
    }

    /**
     * The library at one thread.
     *
     * @param file  the file.
     * @param slice this thread's blocks.
     * @return the receipt.
     */
    @Benchmark
    @Threads(1)
    public WriteReceipt writeRangeOneThread(final RangedFile file, final Slice slice)
    {
        return writeRange(file, slice);
    }

    /**
     * The library at two threads.
     *
     * @param file  the file.
     * @param slice this thread's blocks.
     * @return the receipt.
     */
    @Benchmark
    @Threads(2)
    public WriteReceipt writeRangeTwoThreads(final RangedFile file, final Slice slice)
    {
        return writeRange(file, slice);
    }

    /**
     * Baseline (a) at one thread.
     *
     * @param mapping the mapping.
     * @param slice   this thread's blocks.
     */
    @Benchmark
    @Threads(1)
    public void unsafeBufferOneThread(final RawMapping mapping, final Slice slice)
    {
        unsafeBuffer(mapping, slice);
    }

    /**
     * Baseline (a) at two threads.
     *
     * @param mapping the mapping.
     * @param slice   this thread's blocks.
     */
    @Benchmark
    @Threads(2)
    public void unsafeBufferTwoThreads(final RawMapping mapping, final Slice slice)
    {
        unsafeBuffer(mapping, slice);
    }

    /**
     * Baseline (a) with the library's bookkeeping access pattern at one thread: the same copy as
     * {@code unsafeBuffer}, to the offset read from this block's {@link AllocatedRange} (the objects
     * {@code writeRange} cycles over) instead of computed. Over a 1 GiB file the thread cycles over 262,144 range
     * objects, so each write's offset is a load that misses the cache, and the copy waits for it; this arm prices
     * that miss alone, so that {@code writeRange} minus this arm is what the library's checks cost.
     *
     * @param mapping the mapping written.
     * @param file    the ranged file whose ranges give the offsets (not written).
     * @param slice   this thread's blocks.
     */
    @Benchmark
    @Threads(1)
    public void unsafeBufferAtRangeOneThread(final RawMapping mapping, final RangedFile file, final Slice slice)
    {
        unsafeBufferAtRange(mapping, file, slice);
    }

    /**
     * Baseline (a) with the library's bookkeeping access pattern at two threads; see
     * {@link #unsafeBufferAtRangeOneThread}.
     *
     * @param mapping the mapping written.
     * @param file    the ranged file whose ranges give the offsets (not written).
     * @param slice   this thread's blocks.
     */
    @Benchmark
    @Threads(2)
    public void unsafeBufferAtRangeTwoThreads(final RawMapping mapping, final RangedFile file, final Slice slice)
    {
        unsafeBufferAtRange(mapping, file, slice);
    }

    /**
     * Baseline (b) at one thread.
     *
     * @param file  the file.
     * @param slice this thread's blocks.
     * @return bytes written.
     * @throws IOException if the write fails.
     */
    @Benchmark
    @Threads(1)
    public int fileChannelOneThread(final PlainFile file, final Slice slice) throws IOException
    {
        return fileChannel(file, slice);
    }

    /**
     * Baseline (b) at two threads.
     *
     * @param file  the file.
     * @param slice this thread's blocks.
     * @return bytes written.
     * @throws IOException if the write fails.
     */
    @Benchmark
    @Threads(2)
    public int fileChannelTwoThreads(final PlainFile file, final Slice slice) throws IOException
    {
        return fileChannel(file, slice);
    }

    /**
     * Baseline (c) at one thread.
     *
     * @param file  the file.
     * @param slice this thread's blocks.
     * @throws IOException if the write fails.
     */
    @Benchmark
    @Threads(1)
    public void randomAccessFileOneThread(final PlainFile file, final Slice slice) throws IOException
    {
        randomAccessFile(file, slice);
    }

    /**
     * Baseline (c) at two threads.
     *
     * @param file  the file.
     * @param slice this thread's blocks.
     * @throws IOException if the write fails.
     */
    @Benchmark
    @Threads(2)
    public void randomAccessFileTwoThreads(final PlainFile file, final Slice slice) throws IOException
    {
        randomAccessFile(file, slice);
    }

    private static WriteReceipt writeRange(final RangedFile file, final Slice slice)
    {
        return file.file.writeRange(file.ranges[slice.nextBlock()], slice.data);
    }

    private void unsafeBuffer(final RawMapping mapping, final Slice slice)
    {
        mapping.buffer.putBytes(slice.nextBlock() * size, slice.data);
    }

    private static void unsafeBufferAtRange(final RawMapping mapping, final RangedFile file, final Slice slice)
    {
        mapping.buffer.putBytes((int)file.ranges[slice.nextBlock()].start(), slice.data);
    }

    private int fileChannel(final PlainFile file, final Slice slice) throws IOException
    {
        final ByteBuffer src = slice.direct;
        src.clear();
        return writeFully(file.channel, src, (long)slice.nextBlock() * size);
    }

    private void randomAccessFile(final PlainFile file, final Slice slice) throws IOException
    {
        final long position = (long)slice.nextBlock() * size;
        final RandomAccessFile raf = file.raf;
        // The file pointer is shared: seek and write must not interleave with another thread's.
        synchronized (raf)
        {
            raf.seek(position);
            raf.write(slice.data);
        }
    }

    private static int writeFully(final FileChannel channel, final ByteBuffer src, final long position)
        throws IOException
    {
        int written = 0;
        while (src.hasRemaining())
        {
            written += channel.write(src, position + written);
        }
        return written;
    }

    /**
     * Creates a 1 GiB file exactly as the library does (blocks reserved, creation fsynced) and releases it.
     */
    private static Path reservedFile(final Path path) throws IOException
    {
        try (Mapping<SequentialAllocator> created = MmapFile.createDefault(path, FILE_SIZE))
        {
            return created.file().path();
        }
    }

    static void deleteTree(final Path dir) throws IOException
    {
        // Deepest first, so nested folders (an LMDB environment beside a store) go too: a teardown that left them
        // behind filled the disk with one benchmark's sparse stores.
        try (var paths = Files.walk(dir))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(path);
            }
        }
    }
}

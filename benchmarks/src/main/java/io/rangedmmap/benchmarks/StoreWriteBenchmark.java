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

import io.rangedmmap.mmap.Advice;
import io.rangedmmap.mmap.AllocatedRange;
import io.rangedmmap.mmap.AllocatorType;
import io.rangedmmap.mmap.ConcurrentAllocator;
import io.rangedmmap.mmap.Mapping;
import io.rangedmmap.mmap.MmapFile;
import io.rangedmmap.mmap.WriteReceipt;
import io.rangedmmap.store.PageReceipt;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * How fast does {@link PageWriter#write(long, byte[])} put 4 KiB pages into a {@link PageStore}, against
 * {@link MmapFile#writeRange(AllocatedRange, byte[])} of 4 KiB ranges, the mapped write it is built on?
 *
 * <p>Write only, made as fair as we can: every measured call writes one 4 KiB page whose memory is already mapped
 * writable, and nothing else happens in the measured window.
 * <ul>
 *     <li>{@code pageStore}: the library's store. Pages are write-once, so before every iteration (untimed) the
 *     pages of the last iteration are checkpointed and freed, each thread's writer allocates {@link #PAGES}
 *     fresh pages ({@link PageWriter#allocate(int)}), and those pages are faulted in writable with
 *     {@code MADV_POPULATE_WRITE} ({@link PageStore#advise(long, long, Advice)}). The call computes the page's
 *     CRC32C, checks ownership and the write-once state, copies, and returns the {@link PageReceipt}.</li>
 *     <li>{@code writeRange}, the baseline: an {@link MmapFile} of {@code threads * pagesPerThread} 4 KiB ranges
 *     from its {@link ConcurrentAllocator}, written once at setup. Before every iteration (untimed) the file is
 *     flushed ({@link MmapFile#syncAll()}, which write-protects its pages, as a checkpoint does the store's) and
 *     faulted in again with {@code MADV_POPULATE_WRITE}, so both sides start each iteration from clean pages mapped
 *     writable. The file is advised {@code MADV_RANDOM} before its first write, as the store advises its own file, so
 *     both sides write pages cached in 4 KiB folios. The call checks the range and copies, and returns the
 *     {@link WriteReceipt}.</li>
 *     <li>{@code fileChannel} (used by {@link ScalingWriteBenchmark}): {@link FileChannel#write(ByteBuffer, long)}
 *     of the thread's own pages of one preallocated file, in the page cache.</li>
 * </ul>
 * Each thread owns a contiguous share of the pages; the store's writers each claim their own extents. One invocation
 * writes all {@link #PAGES} pages of the thread once, in a loop, keeping every receipt (both sides store them
 * in an array), and is one iteration ({@link Mode#SingleShotTime}): the page supply is fixed per iteration, which a
 * time-bound iteration could not promise for write-once pages.
 *
 * <p>Scores are microseconds per page written, per thread; {@code io.rangedmmap.benchmarks.report.StoreTable}
 * prints GiB/s of payload over all threads. Target (issue 3): {@code pageStore} within 20% of {@code writeRange}
 * (throughput ratio >= 0.80) at 1 and 2 writers.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 15)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class StoreWriteBenchmark
{
    /**
     * Pages one invocation writes per thread: 64 MiB.
     */
    static final int PAGES = 16384;

    /**
     * The thread's payload: one random 4 KiB page, the same for every write.
     */
    @State(Scope.Thread)
    public static class Payload
    {
        byte[] data;
        ByteBuffer direct;

        /**
         * Fills the payload with random bytes.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            data = new byte[PageStore.PAGE_SIZE];
            ThreadLocalRandom.current().nextBytes(data);
            direct = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE);
            direct.put(data).clear();
        }
    }

    /**
     * The library: a store with room for four iterations of every thread, recycled between iterations.
     */
    @State(Scope.Benchmark)
    public static class Store
    {
        Path dir;
        PageStore store;
        PageWriter[] writers;
        long[] first;
        PageReceipt[][] receipts;

        /**
         * Creates the store.
         *
         * @param params the thread count.
         * @throws IOException if it cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp(final BenchmarkParams params) throws IOException
        {
            final int threads = params.getThreads();
            dir = Files.createTempDirectory("rangedmmap-bench-");
            store = PageStore.create(dir.resolve("store.db"), 4L * threads * PAGES);
            writers = new PageWriter[threads];
            first = new long[threads];
            receipts = new PageReceipt[threads][PAGES];
        }

        /**
         * Untimed: checkpoints and frees the pages of the last iteration, then gives every thread a new writer with
         * {@link #PAGES} fresh pages, faulted in writable.
         *
         * @throws IOException if the advice fails.
         */
        @Setup(Level.Iteration)
        public void prepare() throws IOException
        {
            recycle();
            for (int t = 0; t < writers.length; t++)
            {
                writers[t] = store.newWriter();
                first[t] = writers[t].allocate(PAGES);
                store.advise(first[t], PAGES, Advice.POPULATE_WRITE);
            }
        }

        private void recycle()
        {
            final List<PageReceipt> written = new ArrayList<>();
            for (int t = 0; t < writers.length; t++)
            {
                if (null == writers[t])
                {
                    continue;
                }
                for (final PageReceipt receipt : receipts[t])
                {
                    if (null != receipt)
                    {
                        written.add(receipt);
                    }
                }
                writers[t].close();
                writers[t] = null;
            }
            if (written.isEmpty())
            {
                return;
            }
            store.checkpoint(written);
            for (final PageReceipt receipt : written)
            {
                store.free(receipt.pageId());
            }
            store.checkpoint(List.of());
            for (final PageReceipt[] perThread : receipts)
            {
                java.util.Arrays.fill(perThread, null);
            }
        }

        /**
         * Closes and deletes the store.
         *
         * @throws IOException if it cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            for (final PageWriter writer : writers)
            {
                if (null != writer)
                {
                    writer.close();
                }
            }
            store.close();
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * The baseline: an {@link MmapFile} of {@code threads * PAGES} 4 KiB ranges, each thread owning its share.
     */
    @State(Scope.Benchmark)
    public static class Ranges
    {
        Path dir;
        Mapping<ConcurrentAllocator> mapping;
        MmapFile file;
        AllocatedRange[] ranges;
        WriteReceipt[][] receipts;

        /**
         * Creates the file, allocates every 4 KiB range and writes each once.
         *
         * @param params the thread count.
         * @throws IOException if the file cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp(final BenchmarkParams params) throws IOException
        {
            final int threads = params.getThreads();
            dir = Files.createTempDirectory("rangedmmap-bench-");
            mapping = MmapFile.create(dir.resolve("ranges.bin"), (long)threads * PAGES * PageStore.PAGE_SIZE,
                AllocatorType.CONCURRENT);
            file = mapping.file();
            // The page-cache state of the store's file (PageCacheAdvice): 4 KiB folios, so both sides write the same
            // kind of memory (benchmarks/results/2026-11-29-page-cache-folios).
            file.advise(Advice.RANDOM);
            ranges = new AllocatedRange[threads * PAGES];
            receipts = new WriteReceipt[threads][PAGES];
            final byte[] fill = new byte[PageStore.PAGE_SIZE];
            for (int i = 0; i < ranges.length; i++)
            {
                ranges[i] = mapping.allocator().allocateExact(PageStore.PAGE_SIZE).orElseThrow();
                file.writeRange(ranges[i], fill);
            }
        }

        /**
         * Untimed: flushes the file, which write-protects its pages, and faults them in writable again.
         *
         * @throws IOException if the flush or the advice fails.
         */
        @Setup(Level.Iteration)
        public void prepare() throws IOException
        {
            file.syncAll();
            file.advise(Advice.POPULATE_WRITE);
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
     * The plain-JDK way: one preallocated file of {@code threads * PAGES} pages, in the page cache, written by
     * {@link FileChannel#write(ByteBuffer, long)} from a direct buffer, one channel shared by the threads.
     */
    @State(Scope.Benchmark)
    public static class Channel
    {
        Path dir;
        FileChannel channel;

        /**
         * Creates the file like the library does and writes every page once.
         *
         * @param params the thread count.
         * @throws IOException if the file cannot be created or written.
         */
        @Setup(Level.Trial)
        public void setUp(final BenchmarkParams params) throws IOException
        {
            final long size = (long)params.getThreads() * PAGES * PageStore.PAGE_SIZE;
            dir = Files.createTempDirectory("rangedmmap-bench-");
            final Path path = dir.resolve("channel.bin");
            MmapFile.createDefault(path, size).close();
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            final ByteBuffer src = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE);
            for (long position = 0; position < size; position += PageStore.PAGE_SIZE)
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
            channel.close();
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * The library at one writer.
     *
     * @param store   the store.
     * @param payload the page to write.
     * @param thread  this thread's index.
     */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(PAGES)
    public void pageStoreOneThread(final Store store, final Payload payload, final ThreadParams thread)
    {
        pageStore(store, payload, thread);
    }

    /**
     * The library at two writers.
     *
     * @param store   the store.
     * @param payload the page to write.
     * @param thread  this thread's index.
     */
    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(PAGES)
    public void pageStoreTwoThreads(final Store store, final Payload payload, final ThreadParams thread)
    {
        pageStore(store, payload, thread);
    }

    /**
     * The baseline at one thread.
     *
     * @param ranges  the file.
     * @param payload the page to write.
     * @param thread  this thread's index.
     */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(PAGES)
    public void writeRangeOneThread(final Ranges ranges, final Payload payload, final ThreadParams thread)
    {
        writeRange(ranges, payload, thread);
    }

    /**
     * The baseline at two threads.
     *
     * @param ranges  the file.
     * @param payload the page to write.
     * @param thread  this thread's index.
     */
    @Benchmark
    @Threads(2)
    @OperationsPerInvocation(PAGES)
    public void writeRangeTwoThreads(final Ranges ranges, final Payload payload, final ThreadParams thread)
    {
        writeRange(ranges, payload, thread);
    }

    static void pageStore(final Store store, final Payload payload, final ThreadParams thread)
    {
        final int t = thread.getThreadIndex();
        final PageWriter writer = store.writers[t];
        final PageReceipt[] receipts = store.receipts[t];
        final long first = store.first[t];
        final byte[] data = payload.data;
        for (int i = 0; i < PAGES; i++)
        {
            receipts[i] = writer.write(first + i, data);
        }
    }

    static void writeRange(final Ranges ranges, final Payload payload, final ThreadParams thread)
    {
        final int t = thread.getThreadIndex();
        final AllocatedRange[] all = ranges.ranges;
        final WriteReceipt[] receipts = ranges.receipts[t];
        final MmapFile file = ranges.file;
        final int first = t * PAGES;
        final byte[] data = payload.data;
        for (int i = 0; i < PAGES; i++)
        {
            receipts[i] = file.writeRange(all[first + i], data);
        }
    }

    static long fileChannel(final Channel channel, final Payload payload, final ThreadParams thread)
        throws IOException
    {
        final long first = (long)thread.getThreadIndex() * PAGES * PageStore.PAGE_SIZE;
        final ByteBuffer src = payload.direct;
        final FileChannel file = channel.channel;
        long written = 0;
        for (int i = 0; i < PAGES; i++)
        {
            src.clear();
            written += writeFully(file, src, first + (long)i * PageStore.PAGE_SIZE);
        }
        return written;
    }

    static int writeFully(final FileChannel channel, final ByteBuffer src, final long position) throws IOException
    {
        int written = 0;
        while (src.hasRemaining())
        {
            written += channel.write(src, position + written);
        }
        return written;
    }
}

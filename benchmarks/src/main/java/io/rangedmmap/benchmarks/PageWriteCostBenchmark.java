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
import io.rangedmmap.mmap.CreateOption;
import io.rangedmmap.mmap.Mapping;
import io.rangedmmap.mmap.MmapFile;
import io.rangedmmap.mmap.RangeReader;
import io.rangedmmap.mmap.RangeWriter;
import io.rangedmmap.mmap.RawMmapFile;
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
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Where does the time of one 4 KiB page write go? Each layer of {@link PageWriter#write(long, byte[])} alone, in one
 * run, so that the store's own overhead is {@code pageWrite - crc32c - rawWriteAt} (issue 13):
 * <ul>
 *     <li>{@code rawWriteAt}: {@link RawMmapFile#writeAt(long, byte[])} of 4 KiB, the unchecked mapped copy;</li>
 *     <li>{@code crc32c}: {@link CRC32C} of 4 KiB from a heap array, nothing else;</li>
 *     <li>{@code crc32cAndRawWriteAt}: the two together, what a page write cannot avoid;</li>
 *     <li>{@code rawWriteAtSynced}, {@code crc32cAndRawWriteAtSynced}: the same into pages put before each invocation
 *     in the state the store's fresh pages are in (flushed, which write-protects them, then faulted in writable):
 *     the store's own overhead is {@code pageWrite - crc32cAndRawWriteAtSynced};</li>
 *     <li>{@code pageWriteFreshStore}: {@link PageWriter#write(long, byte[])} into a new store's never-flushed pages,
 *     in the same state as the {@code rawWriteAt} arms' pages: {@code pageWriteFreshStore - crc32cAndRawWriteAt} is
 *     the store's own overhead without the kernel's cost of re-dirtying flushed pages;</li>
 *     <li>{@code rawWriteAtFresh}: the unchecked copy into a new file's pages, created and faulted in writable
 *     before each invocation like {@code pageWriteFreshStore}'s: its floor, page state for page state;</li>
 *     <li>{@code pageWrite}: {@link PageWriter#write(long, byte[])}, the store's write (ownership and write-once
 *     checks, CRC32C, copy, state publication, receipt);</li>
 *     <li>{@code pageWriteZeroCopy}: {@link PageWriter#write(long, RangeWriter)} filling the view in place;</li>
 *     <li>{@code writeRange}: {@link MmapFile#writeRange(AllocatedRange, byte[])} of 4 KiB, the checked API;</li>
 *     <li>{@code pageRead}, {@code pageReadZeroCopy}: {@link PageStore#read(long, byte[])} and the in-place read
 *     with its CRC32C check, for the allocation of the read path.</li>
 * </ul>
 * Every arm writes (or reads) the same {@link #PAGES} consecutive 4 KiB pages of a file already mapped writable
 * (8 MiB, so the copy's destination is not in the L2 cache), one page per operation, at one thread. The store's
 * pages are write-once: before each invocation of {@code pageWrite*} (untimed) the pages of the last one are
 * checkpointed and freed and the writer's fresh pages are faulted in writable with
 * {@link PageStore#advise(long, long, Advice)}, so no arm takes a page fault in its measured window.
 *
 * <p>Run with {@code -prof gc} (allocation per operation; the store arms' figure includes the untimed
 * per-invocation recycling, a checkpoint of {@link #PAGES} receipts, spread over its {@link #PAGES} operations) and
 * {@code -prof perfnorm} where perf is allowed. Scores are nanoseconds per 4 KiB page.
 *
 * <p>On a virtual machine where the first write through each page of a file mapping costs microseconds (the project's
 * 2-core VMs: about 7 us on ext4, see {@code benchmarks/results/2026-11-29-page-cache-folios}), that cost swamps a
 * store overhead of nanoseconds in every write-once arm. Run those arms a second time with the files on tmpfs
 * ({@code -jvmArgsAppend -Djava.io.tmpdir=/dev/shm}), where a flushed page is not write-protected again and
 * {@code pageWrite - crc32cAndRawWriteAtSynced} can be resolved.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@Threads(1)
public class PageWriteCostBenchmark
{
    /**
     * Pages per invocation: 8 MiB.
     */
    static final int PAGES = 2048;

    /**
     * The page written: random bytes.
     */
    @State(Scope.Thread)
    public static class Payload
    {
        final byte[] data = new byte[PageStore.PAGE_SIZE];
        final byte[] dst = new byte[PageStore.PAGE_SIZE];
        final CRC32C crc = new CRC32C();
        final RangeWriter filler = view -> view.putBytes(0, data);
        final RangeReader reader = view -> crc.update(view.getByte(0));

        /**
         * Fills the page.
         */
        @Setup(Level.Trial)
        public void setUp()
        {
            ThreadLocalRandom.current().nextBytes(data);
        }
    }

    /**
     * A {@link RawMmapFile} and an {@link MmapFile} of {@link #PAGES} pages each, faulted in writable.
     */
    @State(Scope.Thread)
    public static class Mapped
    {
        Path dir;
        RawMmapFile raw;
        Mapping<ConcurrentAllocator> mapping;
        AllocatedRange[] ranges;
        WriteReceipt[] receipts;

        /**
         * Creates, maps and faults in both files; allocates the ranges.
         *
         * @throws IOException if a file cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
            final long size = (long)PAGES * PageStore.PAGE_SIZE;
            raw = RawMmapFile.create(dir.resolve("raw.bin"), size, CreateOption.REPLACE_EXISTING);
            raw.advise(0, size, Advice.POPULATE_WRITE);
            mapping = MmapFile.create(dir.resolve("ranges.bin"), size, AllocatorType.CONCURRENT);
            mapping.file().advise(Advice.POPULATE_WRITE);
            ranges = new AllocatedRange[PAGES];
            receipts = new WriteReceipt[PAGES];
            for (int i = 0; i < PAGES; i++)
            {
                ranges[i] = mapping.allocator().allocateExact(PageStore.PAGE_SIZE).orElseThrow();
            }
        }

        /**
         * Closes and deletes the files.
         *
         * @throws IOException if they cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            raw.close();
            mapping.close();
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * A {@link RawMmapFile} of {@link #PAGES} pages put, before every invocation (untimed), in the state the store's
     * fresh pages are in: flushed ({@code msync}, which cleans and write-protects them, as a checkpoint does) and
     * faulted in writable again. The {@code *Synced} arms compare with the store's write page for page.
     */
    @State(Scope.Thread)
    public static class Synced
    {
        Path dir;
        RawMmapFile raw;

        /**
         * Creates the file.
         *
         * @throws IOException if it cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
            raw = RawMmapFile.create(dir.resolve("synced.bin"), (long)PAGES * PageStore.PAGE_SIZE,
                CreateOption.REPLACE_EXISTING);
        }

        /**
         * Untimed: flushes the file and faults it in writable.
         *
         * @throws IOException if the flush or the advice fails.
         */
        @Setup(Level.Invocation)
        public void prepare() throws IOException
        {
            raw.flush();
            raw.advise(0, raw.size(), Advice.POPULATE_WRITE);
        }

        /**
         * Closes and deletes the file.
         *
         * @throws IOException if it cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            raw.close();
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * A store whose writer has {@link #PAGES} fresh pages, faulted in writable, at every invocation.
     */
    @State(Scope.Thread)
    public static class Store
    {
        Path dir;
        PageStore store;
        PageWriter writer;
        long first;
        final PageReceipt[] receipts = new PageReceipt[PAGES];

        /**
         * Creates the store.
         *
         * @throws IOException if it cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
            store = PageStore.create(dir.resolve("store.db"), 4L * PAGES);
        }

        /**
         * Untimed: checkpoints and frees the pages the last invocation wrote, then allocates {@link #PAGES} fresh
         * pages and faults them in writable.
         *
         * @throws IOException if the advice fails.
         */
        @Setup(Level.Invocation)
        public void prepare() throws IOException
        {
            if (null != writer)
            {
                writer.close();
                final List<PageReceipt> written = new ArrayList<>(PAGES);
                for (final PageReceipt receipt : receipts)
                {
                    if (null != receipt)
                    {
                        written.add(receipt);
                    }
                }
                if (!written.isEmpty())
                {
                    store.checkpoint(written);
                    for (final PageReceipt receipt : written)
                    {
                        store.free(receipt.pageId());
                    }
                    store.checkpoint(List.of());
                }
                Arrays.fill(receipts, null);
            }
            writer = store.newWriter();
            first = writer.allocate(PAGES);
            store.advise(first, PAGES, Advice.POPULATE_WRITE);
        }

        /**
         * Closes and deletes the store.
         *
         * @throws IOException if it cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            writer.close();
            store.close();
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * A new store before every invocation (untimed): its writer's {@link #PAGES} pages were never flushed, and are
     * faulted in writable, so they are in the same state as the {@code rawWriteAt} arms' pages and
     * {@code pageWriteFreshStore - crc32cAndRawWriteAt} is the store's own cost, free of the kernel's cost of writing
     * into pages a checkpoint has flushed.
     */
    @State(Scope.Thread)
    public static class FreshStore
    {
        Path dir;
        PageStore store;
        PageWriter writer;
        long first;
        final PageReceipt[] receipts = new PageReceipt[PAGES];
        private int generation;

        /**
         * Creates the directory.
         *
         * @throws IOException if it cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
        }

        /**
         * Untimed: closes and deletes the last store, creates a new one and faults its writer's pages in writable.
         *
         * @throws IOException if a store cannot be created or deleted.
         */
        @Setup(Level.Invocation)
        public void prepare() throws IOException
        {
            closeStore();
            store = PageStore.create(dir.resolve("fresh-" + generation++ + ".db"), PAGES);
            writer = store.newWriter();
            first = writer.allocate(PAGES);
            store.advise(first, PAGES, Advice.POPULATE_WRITE);
        }

        private void closeStore() throws IOException
        {
            if (null != store)
            {
                writer.close();
                store.close();
                Files.delete(store.path());
                Arrays.fill(receipts, null);
            }
        }

        /**
         * Closes and deletes the last store.
         *
         * @throws IOException if it cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            closeStore();
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * A new {@link RawMmapFile} before every invocation (untimed), created and faulted in writable like
     * {@link FreshStore}'s pages: {@code rawWriteAtFresh} is the floor {@code pageWriteFreshStore} compares with.
     */
    @State(Scope.Thread)
    public static class FreshRaw
    {
        Path dir;
        RawMmapFile raw;
        private int generation;

        /**
         * Creates the directory.
         *
         * @throws IOException if it cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
        }

        /**
         * Untimed: closes and deletes the last file, creates a new one and faults it in writable.
         *
         * @throws IOException if a file cannot be created or deleted.
         */
        @Setup(Level.Invocation)
        public void prepare() throws IOException
        {
            closeFile();
            raw = RawMmapFile.create(dir.resolve("fresh-" + generation++ + ".bin"), (long)PAGES * PageStore.PAGE_SIZE);
            raw.advise(0, raw.size(), Advice.POPULATE_WRITE);
        }

        private void closeFile() throws IOException
        {
            if (null != raw)
            {
                raw.close();
                Files.delete(raw.path());
            }
        }

        /**
         * Closes and deletes the last file.
         *
         * @throws IOException if it cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            closeFile();
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * A store of {@link #PAGES} live pages, for the read arms.
     */
    @State(Scope.Thread)
    public static class Live
    {
        Path dir;
        PageStore store;
        long first;

        /**
         * Creates the store and checkpoints {@link #PAGES} pages.
         *
         * @param payload the page written to each.
         * @throws IOException if it cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp(final Payload payload) throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
            store = PageStore.create(dir.resolve("live.db"), PAGES);
            try (PageWriter writer = store.newWriter())
            {
                first = writer.allocate(PAGES);
                final List<PageReceipt> receipts = new ArrayList<>(PAGES);
                for (int i = 0; i < PAGES; i++)
                {
                    receipts.add(writer.write(first + i, payload.data));
                }
                store.checkpoint(receipts);
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
            store.close();
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * The unchecked mapped copy.
     *
     * @param files   the files.
     * @param payload the page.
     */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void rawWriteAt(final Mapped files, final Payload payload)
    {
        rawWrites(files.raw, payload.data);
    }

    /**
     * CRC32C of a page, alone.
     *
     * @param payload the page.
     * @param bh      consumes each CRC.
     */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void crc32c(final Payload payload, final Blackhole bh)
    {
        final CRC32C crc = payload.crc;
        final byte[] data = payload.data;
        for (int i = 0; i < PAGES; i++)
        {
            crc.reset();
            crc.update(data, 0, PageStore.PAGE_SIZE);
            bh.consume((int)crc.getValue());
        }
    }

    /**
     * CRC32C then the unchecked copy: the floor of a page write.
     *
     * @param files   the files.
     * @param payload the page.
     * @param bh      consumes each CRC.
     */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void crc32cAndRawWriteAt(final Mapped files, final Payload payload, final Blackhole bh)
    {
        crcAndRawWrites(files.raw, payload, bh);
    }

    /**
     * The unchecked mapped copy into pages flushed and faulted in again before each invocation, as the store's are.
     *
     * @param synced  the file.
     * @param payload the page.
     */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void rawWriteAtSynced(final Synced synced, final Payload payload)
    {
        rawWrites(synced.raw, payload.data);
    }

    /**
     * CRC32C then the unchecked copy into pages in the store's state: the floor {@code pageWrite} compares with.
     *
     * @param synced  the file.
     * @param payload the page.
     * @param bh      consumes each CRC.
     */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void crc32cAndRawWriteAtSynced(final Synced synced, final Payload payload, final Blackhole bh)
    {
        crcAndRawWrites(synced.raw, payload, bh);
    }

    /**
     * The store's page write from an array.
     *
     * @param store   the store.
     * @param payload the page.
     */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void pageWrite(final Store store, final Payload payload)
    {
        pageWrites(store.writer, store.first, store.receipts, payload.data);
    }

    /**
     * The store's page write from an array, into a new store's pages (never flushed, faulted in writable).
     *
     * @param store   the store.
     * @param payload the page.
     */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void pageWriteFreshStore(final FreshStore store, final Payload payload)
    {
        pageWrites(store.writer, store.first, store.receipts, payload.data);
    }

    /**
     * The unchecked mapped copy into a new file's pages, faulted in writable before the invocation.
     *
     * @param fresh   the file.
     * @param payload the page.
     */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void rawWriteAtFresh(final FreshRaw fresh, final Payload payload)
    {
        rawWrites(fresh.raw, payload.data);
    }

    /**
     * The store's page write in place.
     *
     * @param store   the store.
     * @param payload the page and its filler.
     */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void pageWriteZeroCopy(final Store store, final Payload payload)
    {
        final PageWriter writer = store.writer;
        final PageReceipt[] receipts = store.receipts;
        final long first = store.first;
        final RangeWriter filler = payload.filler;
        for (int i = 0; i < PAGES; i++)
        {
            receipts[i] = writer.write(first + i, filler);
        }
    }

    /**
     * The checked mapped write of 4 KiB ranges.
     *
     * @param files   the files.
     * @param payload the page.
     */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void writeRange(final Mapped files, final Payload payload)
    {
        final MmapFile file = files.mapping.file();
        final AllocatedRange[] ranges = files.ranges;
        final WriteReceipt[] receipts = files.receipts;
        final byte[] data = payload.data;
        for (int i = 0; i < PAGES; i++)
        {
            receipts[i] = file.writeRange(ranges[i], data);
        }
    }

    /**
     * The store's page read into an array, CRC32C-checked.
     *
     * @param live    the store.
     * @param payload the destination.
     */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void pageRead(final Live live, final Payload payload)
    {
        final PageStore store = live.store;
        final byte[] dst = payload.dst;
        for (int i = 0; i < PAGES; i++)
        {
            store.read(live.first + i, dst);
        }
    }

    /**
     * The store's in-place read, CRC32C-checked.
     *
     * @param live    the store.
     * @param payload the reader.
     */
    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void pageReadZeroCopy(final Live live, final Payload payload)
    {
        final PageStore store = live.store;
        final RangeReader reader = payload.reader;
        for (int i = 0; i < PAGES; i++)
        {
            store.read(live.first + i, reader);
        }
    }

    static void rawWrites(final RawMmapFile raw, final byte[] data)
    {
        for (int i = 0; i < PAGES; i++)
        {
            raw.writeAt((long)i * PageStore.PAGE_SIZE, data);
        }
    }

    static void crcAndRawWrites(final RawMmapFile raw, final Payload payload, final Blackhole bh)
    {
        final CRC32C crc = payload.crc;
        final byte[] data = payload.data;
        for (int i = 0; i < PAGES; i++)
        {
            crc.reset();
            crc.update(data, 0, PageStore.PAGE_SIZE);
            bh.consume((int)crc.getValue());
            raw.writeAt((long)i * PageStore.PAGE_SIZE, data);
        }
    }

    static void pageWrites(final PageWriter writer, final long first, final PageReceipt[] receipts,
        final byte[] data)
    {
        for (int i = 0; i < PAGES; i++)
        {
            receipts[i] = writer.write(first + i, data);
        }
    }
}

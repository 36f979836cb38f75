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

import io.rangedmmap.store.PageReceipt;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;
import io.rangedmmap.store.internal.Formatter;
import io.rangedmmap.store.internal.StoreIo;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
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

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 10: do the open time and the Java heap an open store holds grow with the store's size? Stores of
 * {@code sizeMib} (64 MiB, 4 GiB, 64 GiB; created sparse, so the 64 GiB one fits a small disk) each hold the same
 * number of live pages ({@link #live}); each iteration opens one ({@code storeOpen}), and when it ends the heap the
 * open store holds is measured (used heap after two {@code System.gc()} with the store open, minus the same after
 * closing it) and printed as {@code heap held}. {@code lmdbOpen} opens an LMDB environment holding the same number
 * of 4 KiB values, as {@link StoreOpenBenchmark} does.
 *
 * <p>The issue asks for 1 million live pages; a 64 MiB store holds 16,384, so {@link #live} defaults to 10,000 (the
 * issue's own measurement of the problem used 10,000) and is raised to 1,000,000 for the 4 GiB and 64 GiB stores with
 * {@code -p sizeMib=4096,65536 -p live=1000000}. Beside the heap, the anonymous memory the open store holds (the
 * growth of {@code RssAnon} in {@code /proc/self/status} across the open, which takes in the store's off-heap page
 * tables and any heap the JVM touched for the first time) is printed as {@code anon held}, per page of the store.
 *
 * <p>{@link #closed}: {@code clean} opens the store as its last close left it (a clean close: the open reads the
 * superblocks only); {@code crashed} removes that close's mark before each open, as a crash before any metadata
 * write leaves the store; {@code killed} restores, before each open, the superblocks and metadata a kill -9 left
 * right after a one-page checkpoint (made durable by one flush: the open reads the groups its superblock lists and
 * that page). {@link #storeOpenAndCommit} adds the first checkpoint of the run, one page: after a crash it is the one
 * that compares the two metadata copies below the high-water mark (the work the open did before format 4's
 * directory).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class StoreSizeOpenBenchmark
{
    /**
     * The store's size in MiB of user pages.
     */
    @Param({"64", "4096", "65536"})
    public long sizeMib;

    /**
     * Live pages in the store: at most its page count.
     */
    @Param({"10000"})
    public int live;

    /**
     * How the store was last closed: {@code clean} or {@code crashed} (see the class comment).
     */
    @Param({"clean", "crashed", "killed"})
    public String closed;

    /**
     * For {@code killed}: the pages of the checkpoint the kill followed; up to
     * {@code Checkpointer.ONE_FLUSH_MAX_PAGES} (256), the largest made durable by one flush, whose pages the open
     * reads to verify it (as if the kill had come during its flush, with its superblock on disk).
     */
    @Param({"1"})
    public int killedPages;

    private Path dir;
    private Path path;
    private PageStore opened;
    private Env<ByteBuffer> env;
    private final List<Long> heapHeld = new ArrayList<>();
    private final List<Long> anonHeld = new ArrayList<>();
    private long anonBefore;
    /**
     * For {@code killed}: the superblocks and the metadata groups below the high-water mark as the kill left them.
     */
    private byte[] killedMetadata;

    /**
     * Builds the store (sparse) and the LMDB environment.
     *
     * @throws IOException if they cannot be built.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("rangedmmap-size-");
        path = dir.resolve("store.db");
        final long pageCount = sizeMib * 256;
        if (live > pageCount)
        {
            throw new IllegalArgumentException("live=" + live + " must be at most the store's pageCount=" + pageCount);
        }
        build(path, pageCount, live);
        if ("killed".equals(closed))
        {
            killedMetadata = commitAndKeepMetadata(path, live, killedPages);
        }
        final Path lmdb = Files.createDirectories(dir.resolve("lmdb"));
        try (Env<ByteBuffer> build = Lmdb.env(lmdb, EnvFlags.MDB_NOSYNC))
        {
            Lmdb.openFilled(build, live);
            build.sync(true);
        }
    }

    /**
     * Measures the heap the store opened by the iteration holds, then closes it (and the LMDB environment).
     */
    @TearDown(Level.Iteration)
    public void close()
    {
        if (null != opened)
        {
            final long with = usedHeap();
            anonHeld.add(AnonMemory.rssAnon() - anonBefore);
            opened.close();
            opened = null;
            heapHeld.add(with - usedHeap());
        }
        if (null != env)
        {
            env.close();
            env = null;
        }
    }

    /**
     * Prints the heap held and deletes the files.
     *
     * @throws IOException if they cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        if (!heapHeld.isEmpty())
        {
            final long[] sorted = heapHeld.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("%nheap held by an open store of %d MiB with %d live pages: median %d bytes " +
                "(min %d, max %d) %s%n", sizeMib, live, sorted[sorted.length / 2], sorted[0],
                sorted[sorted.length - 1], Arrays.toString(sorted));
        }
        if (!anonHeld.isEmpty())
        {
            final long[] sorted = anonHeld.stream().mapToLong(Long::longValue).sorted().toArray();
            final long median = sorted[sorted.length / 2];
            System.out.printf("anon held by an open store of %d MiB with %d live pages: median %d bytes, %.3f bytes " +
                "per page of the store, %.3f per live page %s%n", sizeMib, live, median,
                median / (sizeMib * 256.0), median / (double)live, Arrays.toString(sorted));
        }
        TempDirs.deleteTree(dir);
    }

    /**
     * Records the anonymous memory before each measured open (after a collection, like the heap figure).
     */
    @Setup(Level.Iteration)
    public void markAnon() throws IOException
    {
        if ("crashed".equals(closed))
        {
            unmark(path);
        }
        if ("killed".equals(closed))
        {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE))
            {
                channel.write(ByteBuffer.wrap(killedMetadata, 0, StoreLayout.SUPERBLOCK_SLOTS * StoreLayout.PAGE_SIZE),
                    0);
                final long groups = (killedMetadata.length / StoreLayout.PAGE_SIZE - StoreLayout.SUPERBLOCK_SLOTS) / 2;
                for (long group = 0; group < groups; group++)
                {
                    channel.write(ByteBuffer.wrap(killedMetadata, pairAt(group), 2 * StoreLayout.PAGE_SIZE),
                        StoreLayout.metadataOffsetOf(0, group));
                }
                channel.force(false);
            }
        }
        usedHeap();
        anonBefore = AnonMemory.rssAnon();
    }

    /**
     * Creates a store (sparse) of {@code pageCount} pages with {@code live} live pages from page 0, and closes it
     * (cleanly). Also used by the probes in {@code benchmarks/results}.
     *
     * @param path      the store to create.
     * @param pageCount its page count.
     * @param live      the live pages to write.
     * @throws IOException if it cannot be built.
     */
    public static void build(final Path path, final long pageCount, final int live) throws IOException
    {
        Formatter.format(path, pageCount, pageCount, StoreIo.DIRECT, true);
        final byte[] data = new byte[PageStore.PAGE_SIZE];
        try (PageStore store = PageStore.open(path); PageWriter writer = store.newWriter())
        {
            // Checkpoints of at most 65,536 pages, so the receipts of a million pages are never all held at once.
            int written = 0;
            while (written < live)
            {
                final int batch = Math.min(65_536, live - written);
                final List<PageReceipt> receipts = new ArrayList<>(batch);
                final long first = writer.allocate(batch);
                for (int i = 0; i < batch; i++)
                {
                    data[0] = (byte)(written + i);
                    receipts.add(writer.write(first + i, data));
                }
                store.checkpoint(receipts);
                written += batch;
            }
        }
    }

    /**
     * Opens the store, commits {@code pages} pages (a one-flush checkpoint up to 256), and reads the superblocks and
     * the metadata groups below the high-water mark while the store is open: with its user pages, which the close does
     * not touch, the state a kill -9 leaves right after that checkpoint. Then closes it (cleanly).
     */
    private static byte[] commitAndKeepMetadata(final Path path, final int live, final int pages) throws IOException
    {
        try (PageStore store = PageStore.open(path); PageWriter writer = store.newWriter())
        {
            final List<PageReceipt> receipts = new ArrayList<>(pages);
            final byte[] data = new byte[PageStore.PAGE_SIZE];
            final long first = writer.allocate(pages);
            for (int i = 0; i < pages; i++)
            {
                data[0] = (byte)i;
                receipts.add(writer.write(first + i, data));
            }
            store.checkpoint(receipts);
            final long groups = Math.min(new StoreLayout(store.pageCount()).metadataPages(),
                MetadataPageDescriptor.metadataPagesFor((long)live + pages) + 1);
            // The superblocks, then each group's two metadata pages (they sit side by side, before its user pages).
            final byte[] kept = new byte[(int)((StoreLayout.SUPERBLOCK_SLOTS + 2 * groups) * StoreLayout.PAGE_SIZE)];
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
            {
                channel.read(ByteBuffer.wrap(kept, 0, StoreLayout.SUPERBLOCK_SLOTS * StoreLayout.PAGE_SIZE), 0);
                for (long group = 0; group < groups; group++)
                {
                    channel.read(ByteBuffer.wrap(kept, pairAt(group), 2 * StoreLayout.PAGE_SIZE),
                        StoreLayout.metadataOffsetOf(0, group));
                }
            }
            return kept;
        }
    }

    private static int pairAt(final long group)
    {
        return (int)((StoreLayout.SUPERBLOCK_SLOTS + 2 * group) * StoreLayout.PAGE_SIZE);
    }

    /**
     * Rewrites the spare superblock slot's clean mark (left by the previous iteration's close) without the flag, and
     * syncs it: the state a crash leaves after a run cleared the mark and before it wrote any metadata. Also used by
     * the probes in {@code benchmarks/results}.
     *
     * @param path the store, closed.
     * @throws IOException if it cannot be read or written.
     */
    public static void unmark(final Path path) throws IOException
    {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            for (int slot = 0; slot < StoreLayout.SUPERBLOCK_SLOTS; slot++)
            {
                final ByteBuffer page = ByteBuffer.allocate(StoreLayout.PAGE_SIZE);
                channel.read(page, StoreLayout.superblockOffset(slot));
                final UnsafeBuffer buffer = new UnsafeBuffer(page.array());
                if (!SuperblockDescriptor.isCrcValid(buffer))
                {
                    continue;
                }
                final Superblock superblock = SuperblockDescriptor.decode(buffer);
                if (0 != (superblock.flags() & SuperblockDescriptor.FLAG_CLEAN))
                {
                    SuperblockDescriptor.encode(buffer,
                        superblock.withFlags(superblock.flags() & ~SuperblockDescriptor.FLAG_CLEAN));
                    channel.write(ByteBuffer.wrap(page.array()), StoreLayout.superblockOffset(slot));
                    channel.force(false);
                }
            }
        }
    }

    private static long usedHeap()
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * The library: open the store.
     *
     * @return the open store (closed after the iteration).
     * @throws IOException if it cannot be opened.
     */
    @Benchmark
    public PageStore storeOpen() throws IOException
    {
        opened = PageStore.open(path);
        return opened;
    }

    /**
     * The library: open the store and make its first checkpoint, of one page (after a crash, the one that compares
     * the two metadata copies).
     *
     * @return the open store (closed after the iteration).
     * @throws IOException if it cannot be opened.
     */
    @Benchmark
    public PageStore storeOpenAndCommit() throws IOException
    {
        opened = PageStore.open(path);
        try (PageWriter writer = opened.newWriter())
        {
            opened.checkpoint(List.of(writer.write(writer.allocate(), new byte[PageStore.PAGE_SIZE])));
        }
        return opened;
    }

    /**
     * The peer: open the LMDB environment and its database.
     *
     * @return the database handle.
     */
    @Benchmark
    public Dbi<ByteBuffer> lmdbOpen()
    {
        env = Lmdb.env(dir.resolve("lmdb"));
        return env.openDbi(Lmdb.DB_NAME);
    }
}

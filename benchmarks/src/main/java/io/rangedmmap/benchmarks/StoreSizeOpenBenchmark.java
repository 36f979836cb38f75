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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 10: do the open time and the Java heap an open store holds grow with the store's size? Stores of
 * {@code sizeMib} (64 MiB, 4 GiB, 64 GiB; created sparse, so the 64 GiB one fits a small disk) each hold the same
 * {@link #LIVE} live pages; each iteration opens one ({@code storeOpen}), and when it ends the heap the open store
 * holds is measured (used heap after two {@code System.gc()} with the store open, minus the same after closing it)
 * and printed as {@code heap held}. {@code lmdbOpen} opens an LMDB environment holding the same number of 4 KiB
 * values, as {@link StoreOpenBenchmark} does.
 *
 * <p>The issue asks for 1 million live pages; a 64 MiB store holds 16,384, so the same 10,000 live pages are used at
 * every size (the issue's own measurement of the problem used 10,000).
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
     * Live pages in every store.
     */
    static final int LIVE = 10_000;

    /**
     * The store's size in MiB of user pages.
     */
    @Param({"64", "4096", "65536"})
    public long sizeMib;

    private Path dir;
    private Path path;
    private PageStore opened;
    private Env<ByteBuffer> env;
    private final List<Long> heapHeld = new ArrayList<>();

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
        Formatter.format(path, pageCount, pageCount, StoreIo.DIRECT, true);
        final byte[] data = new byte[PageStore.PAGE_SIZE];
        try (PageStore store = PageStore.open(path); PageWriter writer = store.newWriter())
        {
            final List<PageReceipt> receipts = new ArrayList<>(LIVE);
            final long first = writer.allocate(LIVE);
            for (int i = 0; i < LIVE; i++)
            {
                data[0] = (byte)i;
                receipts.add(writer.write(first + i, data));
            }
            store.checkpoint(receipts);
        }
        final Path lmdb = Files.createDirectories(dir.resolve("lmdb"));
        try (Env<ByteBuffer> build = Lmdb.env(lmdb, EnvFlags.MDB_NOSYNC))
        {
            Lmdb.openFilled(build, LIVE);
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
                "(min %d, max %d) %s%n", sizeMib, LIVE, sorted[sorted.length / 2], sorted[0],
                sorted[sorted.length - 1], Arrays.toString(sorted));
        }
        TempDirs.deleteTree(dir);
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

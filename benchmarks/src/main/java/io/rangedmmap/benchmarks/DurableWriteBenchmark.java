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

import io.rangedmmap.mmap.MmapFile;
import io.rangedmmap.store.PageReceipt;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;
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
import org.openjdk.jmh.infra.ThreadParams;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * How fast can 4 KiB pages be made durable, committing every 1, 64 or 4096 pages, with {@link PageStore}, with LMDB,
 * and with the floor a careful user would write by hand on a {@link FileChannel}?
 *
 * <p>One operation is one commit of {@code commitEvery} pages by one writer: write the pages, then make them
 * durable; the score is commits per second per thread ({@code io.rangedmmap.benchmarks.report.PeerTable} prints
 * pages per second over all threads). Every variant overwrites (or replaces) a fixed working set, so files stay the
 * same size and the run reaches a steady state.
 * <ul>
 *     <li>{@code pageStore}: the library. Each thread has its own {@link PageWriter}: {@code allocate()} and
 *     {@code write} of each page (one page at a time: with {@code allocate(4096)} a writer ended up holding 104,125
 *     free pages in runs too short for another 4096-page run and threw {@code StoreFullException} after a few
 *     seconds at two writers), {@link PageStore#checkpoint} of the receipts, then {@link PageStore#free} of the
 *     previous commit's pages (copy-on-write: the new pages replace the old; the frees ride on the next
 *     checkpoint). The store holds 262,144 pages (1 GiB); pages are reused after their free is durable, so writes
 *     also pay the write-protect fault of re-dirtying a page flushed earlier. Two writers write at once; their
 *     checkpoints run one at a time.</li>
 *     <li>{@code lmdb}, the peer: LMDB through lmdbjava 0.9.1, default (durable) environment flags: no
 *     {@code MDB_NOSYNC}, {@code MDB_NOMETASYNC} or {@code MDB_WRITEMAP}. One write transaction puts
 *     {@code commitEvery} entries (key = page number as an 8-byte big-endian long, value = 4096 bytes) and commits.
 *     The keys cycle over the thread's share of 65,536 keys, all present from setup, so every put replaces a value.
 *     LMDB allows one write transaction at a time: at two threads the writers take turns (that is the honest
 *     comparison for a single-writer store).</li>
 *     <li>{@code fileChannel}, the floor: a file of two header slots and 65,536 data pages (256 MiB, preallocated),
 *     written by positional {@link FileChannel#write(ByteBuffer, long)}s from a direct buffer, cycling over the
 *     thread's share; then {@code force(false)} ({@code fdatasync}); then, under one lock shared by the threads,
 *     header slot {@code N % 2} is written with the sequence {@code N} and a CRC32C, and {@code force(false)}
 *     again. No checksums of the pages and no page table: the least a crash-safe commit needs.</li>
 * </ul>
 *
 * <p>Targets (issue 6): {@code pageStore} ahead of {@code lmdb} at every commit size, and within 1.5x of
 * {@code fileChannel} (throughput ratio >= 0.67). lmdbjava needs {@code --add-opens java.base/java.nio} and
 * {@code java.base/sun.nio.ch} on Java 25 (see {@link Lmdb}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class DurableWriteBenchmark
{
    /**
     * Pages in the working set of LMDB and the floor: 256 MiB.
     */
    static final int KEYS = 1 << 16;

    /**
     * Pages in the store: 1 GiB.
     */
    static final int STORE_PAGES = 1 << 18;

    /**
     * Pages per commit.
     */
    @Param({"1", "64", "4096"})
    public int commitEvery;

    /**
     * A thread's payload and its share of the keys (LMDB) or pages (the floor).
     */
    @State(Scope.Thread)
    public static class Writer
    {
        byte[] data;
        ByteBuffer direct;
        ByteBuffer key;
        long first;
        long count;
        long next;
        PageWriter pageWriter;
        List<PageReceipt> receipts = new ArrayList<>();
        long[] previous = new long[0];

        /**
         * Fills the payload with random bytes and picks this thread's share.
         *
         * @param thread this thread's index and the thread count.
         */
        @Setup(Level.Trial)
        public void setUp(final ThreadParams thread)
        {
            data = new byte[PageStore.PAGE_SIZE];
            ThreadLocalRandom.current().nextBytes(data);
            direct = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE);
            direct.put(data).clear();
            key = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.BIG_ENDIAN);
            count = KEYS / thread.getThreadCount();
            first = thread.getThreadIndex() * count;
        }

        long nextKey()
        {
            final long value = first + next;
            if (++next == count)
            {
                next = 0;
            }
            return value;
        }

        /**
         * Closes this thread's page writer, if it has one.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            if (null != pageWriter)
            {
                pageWriter.close();
            }
        }
    }

    /**
     * The library's store.
     */
    @State(Scope.Benchmark)
    public static class Store
    {
        Path dir;
        PageStore store;

        /**
         * Creates the store.
         *
         * @throws IOException if it cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
            store = PageStore.create(dir.resolve("store.db"), STORE_PAGES);
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
     * The peer's database, with every key present.
     */
    @State(Scope.Benchmark)
    public static class Database
    {
        Path dir;
        Env<ByteBuffer> env;
        Dbi<ByteBuffer> db;

        /**
         * Creates the database and puts every key once, in one transaction.
         *
         * @throws IOException if the directory cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-lmdb-");
            env = Lmdb.env(dir);
            db = Lmdb.openFilled(env, KEYS);
        }

        /**
         * Closes and deletes the database.
         *
         * @throws IOException if it cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            env.close();
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * The floor's file: two header slots, then {@link #KEYS} data pages.
     */
    @State(Scope.Benchmark)
    public static class Floor
    {
        static final int HEADER_SLOTS = 2;

        Path dir;
        FileChannel channel;
        final ByteBuffer header = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        long sequence;

        /**
         * Creates the file preallocated, like the library's files, and writes every page once.
         *
         * @throws IOException if it cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
            final Path path = dir.resolve("floor.bin");
            final long size = (long)(HEADER_SLOTS + KEYS) * PageStore.PAGE_SIZE;
            MmapFile.createDefault(path, size).close();
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            final ByteBuffer zero = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE);
            for (long position = 0; position < size; position += PageStore.PAGE_SIZE)
            {
                zero.clear();
                StoreWriteBenchmark.writeFully(channel, zero, position);
            }
            channel.force(false);
        }

        /**
         * Writes the next header slot and makes it durable: sequence, then a CRC32C of the sequence.
         *
         * @throws IOException if the write or the flush fails.
         */
        synchronized void commitHeader() throws IOException
        {
            writeHeader(channel, header, crc, ++sequence);
        }

        /**
         * Writes header slot {@code sequence % 2} with the sequence and a CRC32C of it, and makes it durable.
         *
         * @param channel  the file.
         * @param header   a direct, little-endian page buffer.
         * @param crc      the checksum to use.
         * @param sequence the commit's sequence.
         * @throws IOException if the write or the flush fails.
         */
        static void writeHeader(final FileChannel channel, final ByteBuffer header, final CRC32C crc,
            final long sequence) throws IOException
        {
            header.clear();
            header.putLong(0, sequence);
            crc.reset();
            header.limit(Long.BYTES);
            crc.update(header);
            header.clear();
            header.putInt(Long.BYTES, (int)crc.getValue());
            StoreWriteBenchmark.writeFully(channel, header, (sequence & 1) * PageStore.PAGE_SIZE);
            channel.force(false);
        }

        /**
         * Closes and deletes the file.
         *
         * @throws IOException if it cannot be deleted.
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
     * @param store  the store.
     * @param writer this thread's writer.
     * @return the checkpoint's sequence.
     */
    @Benchmark
    @Threads(1)
    public long pageStoreOneThread(final Store store, final Writer writer)
    {
        return pageStore(store, writer);
    }

    /**
     * The library at two writers.
     *
     * @param store  the store.
     * @param writer this thread's writer.
     * @return the checkpoint's sequence.
     */
    @Benchmark
    @Threads(2)
    public long pageStoreTwoThreads(final Store store, final Writer writer)
    {
        return pageStore(store, writer);
    }

    /**
     * The peer at one writer.
     *
     * @param lmdb   the database.
     * @param writer this thread's keys.
     */
    @Benchmark
    @Threads(1)
    public void lmdbOneThread(final Database lmdb, final Writer writer)
    {
        lmdb(lmdb, writer);
    }

    /**
     * The peer at two writers (taking turns: one write transaction at a time).
     *
     * @param lmdb   the database.
     * @param writer this thread's keys.
     */
    @Benchmark
    @Threads(2)
    public void lmdbTwoThreads(final Database lmdb, final Writer writer)
    {
        lmdb(lmdb, writer);
    }

    /**
     * The floor at one writer.
     *
     * @param floor  the file.
     * @param writer this thread's pages.
     * @throws IOException if a write or flush fails.
     */
    @Benchmark
    @Threads(1)
    public void fileChannelOneThread(final Floor floor, final Writer writer) throws IOException
    {
        fileChannel(floor, writer);
    }

    /**
     * The floor at two writers.
     *
     * @param floor  the file.
     * @param writer this thread's pages.
     * @throws IOException if a write or flush fails.
     */
    @Benchmark
    @Threads(2)
    public void fileChannelTwoThreads(final Floor floor, final Writer writer) throws IOException
    {
        fileChannel(floor, writer);
    }

    private long pageStore(final Store store, final Writer writer)
    {
        final PageStore pages = store.store;
        if (null == writer.pageWriter)
        {
            writer.pageWriter = pages.newWriter();
        }
        final PageWriter pageWriter = writer.pageWriter;
        final List<PageReceipt> receipts = writer.receipts;
        receipts.clear();
        for (int i = 0; i < commitEvery; i++)
        {
            receipts.add(pageWriter.write(pageWriter.allocate(), writer.data));
        }
        final long sequence = pages.checkpoint(receipts).sequence();
        for (final long page : writer.previous)
        {
            pages.free(page);
        }
        if (writer.previous.length != commitEvery)
        {
            writer.previous = new long[commitEvery];
        }
        for (int i = 0; i < commitEvery; i++)
        {
            writer.previous[i] = receipts.get(i).pageId();
        }
        return sequence;
    }

    private void lmdb(final Database lmdb, final Writer writer)
    {
        final ByteBuffer key = writer.key;
        final ByteBuffer value = writer.direct;
        try (Txn<ByteBuffer> txn = lmdb.env.txnWrite())
        {
            for (int i = 0; i < commitEvery; i++)
            {
                key.clear();
                key.putLong(0, writer.nextKey());
                value.clear();
                lmdb.db.put(txn, key, value);
            }
            txn.commit();
        }
    }

    private void fileChannel(final Floor floor, final Writer writer) throws IOException
    {
        final ByteBuffer src = writer.direct;
        for (int i = 0; i < commitEvery; i++)
        {
            src.clear();
            StoreWriteBenchmark.writeFully(floor.channel, src,
                (Floor.HEADER_SLOTS + writer.nextKey()) * PageStore.PAGE_SIZE);
        }
        floor.channel.force(false);
        floor.commitHeader();
    }
}

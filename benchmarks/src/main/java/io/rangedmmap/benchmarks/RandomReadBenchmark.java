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
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;
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
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * How fast are random 4 KiB page reads from {@link PageStore#read(long, byte[])}, which checks each page's CRC32C,
 * against LMDB gets and {@link FileChannel} positional reads of the same number of pages?
 *
 * <p>Each holds 131,072 pages of random bytes (512 MiB of payload: far above the CPU caches, far below the
 * machine's memory), built once per trial and read once whole before measuring, so every page is in the page cache
 * and, for the two mapped stores, mapped. One operation reads one page chosen uniformly at random into a 4096-byte
 * destination; one thread.
 * <ul>
 *     <li>{@code pageStore}: the library, {@code read(pageId, byte[])}: state check, copy out of the mapping,
 *     CRC32C of the copy against the page table.</li>
 *     <li>{@code lmdb}, the peer: one read transaction per iteration (renewed in setup, as a reader that reads many
 *     pages would hold one), {@code Dbi.get} by the 8-byte big-endian page number, and a copy of the 4096-byte value
 *     into the destination (LMDB returns a view of its mapping; the copy makes the work equal to the store's). The
 *     values live in overflow pages (the file is about 1 GiB).</li>
 *     <li>{@code fileChannel}: {@link FileChannel#read(ByteBuffer, long)} into a direct buffer ({@code pread}), no
 *     checksum.</li>
 * </ul>
 *
 * <p>Scores are nanoseconds per page read. No target in issue 6 beyond showing where each wins.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class RandomReadBenchmark
{
    /**
     * Pages in each store: 512 MiB.
     */
    static final int PAGES = 1 << 17;

    /**
     * The thread's random page numbers and its destination.
     */
    @State(Scope.Thread)
    public static class Reader
    {
        final SplittableRandom random = new SplittableRandom(42);
        final byte[] dst = new byte[PageStore.PAGE_SIZE];
        final ByteBuffer direct = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE);
        final ByteBuffer key = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.BIG_ENDIAN);

        int nextPage()
        {
            return random.nextInt(PAGES);
        }
    }

    /**
     * The library's store, every page live.
     */
    @State(Scope.Benchmark)
    public static class Store
    {
        Path dir;
        PageStore store;
        long first;

        /**
         * Builds the store and reads every page once.
         *
         * @throws IOException if it cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
            store = PageStore.create(dir.resolve("store.db"), PAGES);
            final byte[] data = new byte[PageStore.PAGE_SIZE];
            try (PageWriter writer = store.newWriter())
            {
                first = writer.allocate(PAGES);
                final List<PageReceipt> receipts = new ArrayList<>(PAGES);
                for (int i = 0; i < PAGES; i++)
                {
                    ThreadLocalRandom.current().nextBytes(data);
                    receipts.add(writer.write(first + i, data));
                }
                store.checkpoint(receipts);
            }
            for (int i = 0; i < PAGES; i++)
            {
                store.read(first + i, data);
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
     * The peer's database, every key present, and the read transaction of the current iteration.
     */
    @State(Scope.Benchmark)
    public static class Database
    {
        Path dir;
        Env<ByteBuffer> env;
        Dbi<ByteBuffer> db;
        Txn<ByteBuffer> txn;

        /**
         * Builds the database and reads every value once.
         *
         * @throws IOException if the directory cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-lmdb-");
            env = Lmdb.env(dir, EnvFlags.MDB_NOTLS);
            db = env.openDbi(Lmdb.DB_NAME, DbiFlags.MDB_CREATE);
            final ByteBuffer key = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.BIG_ENDIAN);
            final ByteBuffer value = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE);
            final byte[] data = new byte[PageStore.PAGE_SIZE];
            try (Txn<ByteBuffer> write = env.txnWrite())
            {
                for (long k = 0; k < PAGES; k++)
                {
                    ThreadLocalRandom.current().nextBytes(data);
                    key.clear();
                    key.putLong(0, k);
                    value.clear();
                    value.put(data).flip();
                    db.put(write, key, value);
                }
                write.commit();
            }
            try (Txn<ByteBuffer> read = env.txnRead())
            {
                for (long k = 0; k < PAGES; k++)
                {
                    key.clear();
                    key.putLong(0, k);
                    db.get(read, key).get(data);
                }
            }
        }

        /**
         * Starts this iteration's read transaction.
         */
        @Setup(Level.Iteration)
        public void begin()
        {
            txn = env.txnRead();
        }

        /**
         * Ends this iteration's read transaction.
         */
        @TearDown(Level.Iteration)
        public void end()
        {
            txn.close();
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
     * A plain file of the same pages, read with {@code pread}.
     */
    @State(Scope.Benchmark)
    public static class Plain
    {
        Path dir;
        FileChannel channel;

        /**
         * Writes the file (preallocated, like the library's) and reads it once.
         *
         * @throws IOException if it cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
            final Path path = dir.resolve("plain.bin");
            MmapFile.createDefault(path, (long)PAGES * PageStore.PAGE_SIZE).close();
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            final byte[] data = new byte[PageStore.PAGE_SIZE];
            final ByteBuffer buffer = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE);
            for (long page = 0; page < PAGES; page++)
            {
                ThreadLocalRandom.current().nextBytes(data);
                buffer.clear();
                buffer.put(data).flip();
                StoreWriteBenchmark.writeFully(channel, buffer, page * PageStore.PAGE_SIZE);
            }
            channel.force(false);
            for (long page = 0; page < PAGES; page++)
            {
                buffer.clear();
                readFully(channel, buffer, page * PageStore.PAGE_SIZE);
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
            channel.close();
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * The library: {@code PageStore.read} with its CRC32C check.
     *
     * @param store  the store.
     * @param reader the page numbers and the destination.
     * @return the destination.
     */
    @Benchmark
    public byte[] pageStore(final Store store, final Reader reader)
    {
        store.store.read(store.first + reader.nextPage(), reader.dst);
        return reader.dst;
    }

    /**
     * The peer: LMDB get and a copy of the value.
     *
     * @param db     the database.
     * @param reader the page numbers and the destination.
     * @return the destination.
     */
    @Benchmark
    public byte[] lmdb(final Database db, final Reader reader)
    {
        final ByteBuffer key = reader.key;
        key.clear();
        key.putLong(0, reader.nextPage());
        db.db.get(db.txn, key).get(reader.dst);
        return reader.dst;
    }

    /**
     * The plain-JDK way: {@code pread} into a direct buffer.
     *
     * @param plain  the file.
     * @param reader the page numbers and the destination.
     * @return the buffer.
     * @throws IOException if the read fails.
     */
    @Benchmark
    public ByteBuffer fileChannel(final Plain plain, final Reader reader) throws IOException
    {
        final ByteBuffer dst = reader.direct;
        dst.clear();
        readFully(plain.channel, dst, (long)reader.nextPage() * PageStore.PAGE_SIZE);
        return dst;
    }

    private static void readFully(final FileChannel channel, final ByteBuffer dst, final long position)
        throws IOException
    {
        int read = 0;
        while (dst.hasRemaining())
        {
            final int n = channel.read(dst, position + read);
            if (n < 0)
            {
                throw new IOException("end of file at position=" + (position + read));
            }
            read += n;
        }
    }
}

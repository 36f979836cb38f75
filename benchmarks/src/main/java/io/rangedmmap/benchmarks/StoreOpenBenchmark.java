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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * How long does {@link PageStore#open(Path)} of a 4 GiB store holding 1,048,576 live pages take, and how does that
 * compare with opening an LMDB database of the same pages?
 *
 * <ul>
 *     <li>{@code storeOpen}: the library. The store (1,048,576 user pages, all live, written in 16 checkpoints of
 *     65,536 pages) is built once per trial and closed; each iteration is one {@code open}: the superblocks, the
 *     file size, then every page of the current metadata table (2,057 pages, 8 MiB, CRC32C-checked) rebuilt into the
 *     in-memory page table and free list. This is also the store's recovery: there is no log to replay.</li>
 *     <li>{@code lmdbOpen}, the peer (issue 6): LMDB through lmdbjava, a database of the same 1,048,576 pages
 *     (key = page number as an 8-byte big-endian long, value = 4096 bytes), built once per trial. A 4096-byte value
 *     does not fit a 4 KiB LMDB page, so each takes two overflow pages: the file is about 8 GiB. Each iteration
 *     opens the environment (default flags: durable) and the named database, as a user does before the first read.
 *     LMDB reads only its two meta pages at open (its copy-on-write B+tree needs no recovery), so this is the
 *     least any store can do.</li>
 * </ul>
 * Both files are in the page cache (just written): these are warm opens; a cold open after a reboot reads the
 * store's 8 MiB of metadata from disk. The stores are deleted at the end of the trial.
 *
 * <p>lmdbjava 0.9.1 on Java 25 needs {@code --add-opens java.base/java.nio=ALL-UNNAMED} (its buffer proxy makes
 * {@code Buffer.address} accessible) and {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (it reads
 * {@code DirectBuffer.address()}); without them it fails in {@code ByteBufferProxy}'s static initialiser.
 *
 * <p>Scores are milliseconds per open. Issue 3 asks for the figure; there is no target.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 20)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class StoreOpenBenchmark
{
    /**
     * Live pages in both stores: 4 GiB of payload.
     */
    static final int PAGES = 1 << 20;

    /**
     * Pages per checkpoint (or LMDB transaction) while building.
     */
    static final int BUILD_BATCH = 1 << 16;

    /**
     * The store file, built once, and the store opened by the current iteration.
     */
    @State(Scope.Benchmark)
    public static class StoreFile
    {
        Path dir;
        Path path;
        PageStore opened;

        /**
         * Builds the store: {@link #PAGES} live pages of random bytes.
         *
         * @throws IOException if it cannot be built.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
            path = dir.resolve("store.db");
            final byte[] data = new byte[PageStore.PAGE_SIZE];
            try (PageStore store = PageStore.create(path, PAGES); PageWriter writer = store.newWriter())
            {
                final List<PageReceipt> receipts = new ArrayList<>(BUILD_BATCH);
                for (int batch = 0; batch < PAGES / BUILD_BATCH; batch++)
                {
                    final long first = writer.allocate(BUILD_BATCH);
                    for (int i = 0; i < BUILD_BATCH; i++)
                    {
                        ThreadLocalRandom.current().nextBytes(data);
                        receipts.add(writer.write(first + i, data));
                    }
                    store.checkpoint(receipts);
                    receipts.clear();
                }
                if (PAGES != store.stats().livePages())
                {
                    throw new IllegalStateException("expected livePages=" + PAGES + " in " + store.stats());
                }
            }
        }

        /**
         * Closes the store the iteration opened.
         */
        @TearDown(Level.Iteration)
        public void close()
        {
            if (null != opened)
            {
                opened.close();
                opened = null;
            }
        }

        /**
         * Deletes the store.
         *
         * @throws IOException if it cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * The LMDB database, built once, and the environment opened by the current iteration.
     */
    @State(Scope.Benchmark)
    public static class LmdbFile
    {
        Path dir;
        Env<ByteBuffer> opened;
        Dbi<ByteBuffer> db;

        /**
         * Builds the database: {@link #PAGES} entries of 4096 random bytes, in transactions of
         * {@link #BUILD_BATCH} (built with {@code MDB_NOSYNC} and synced once at the end: the build is not
         * measured).
         *
         * @throws IOException if the directory cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-lmdb-");
            final byte[] data = new byte[PageStore.PAGE_SIZE];
            try (Env<ByteBuffer> env = Lmdb.env(dir, EnvFlags.MDB_NOSYNC))
            {
                final Dbi<ByteBuffer> dbi = env.openDbi(Lmdb.DB_NAME, DbiFlags.MDB_CREATE);
                final ByteBuffer key = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.BIG_ENDIAN);
                final ByteBuffer value = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE);
                for (int batch = 0; batch < PAGES / BUILD_BATCH; batch++)
                {
                    try (Txn<ByteBuffer> txn = env.txnWrite())
                    {
                        for (int i = 0; i < BUILD_BATCH; i++)
                        {
                            ThreadLocalRandom.current().nextBytes(data);
                            key.clear();
                            key.putLong(0, (long)batch * BUILD_BATCH + i);
                            value.clear();
                            value.put(data).flip();
                            dbi.put(txn, key, value);
                        }
                        txn.commit();
                    }
                }
                env.sync(true);
                final long entries;
                try (Txn<ByteBuffer> txn = env.txnRead())
                {
                    entries = dbi.stat(txn).entries;
                }
                if (PAGES != entries)
                {
                    throw new IllegalStateException("expected entries=" + PAGES + ", found " + entries);
                }
            }
        }

        /**
         * Closes the environment the iteration opened.
         */
        @TearDown(Level.Iteration)
        public void close()
        {
            if (null != opened)
            {
                opened.close();
                opened = null;
            }
        }

        /**
         * Deletes the database.
         *
         * @throws IOException if it cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * The library: open the 4 GiB store.
     *
     * @param file the store file.
     * @return the open store (closed after the iteration).
     * @throws IOException if it cannot be opened.
     */
    @Benchmark
    public PageStore storeOpen(final StoreFile file) throws IOException
    {
        file.opened = PageStore.open(file.path);
        return file.opened;
    }

    /**
     * The peer: open the LMDB environment and its database.
     *
     * @param file the database.
     * @return the database handle (closed with its environment after the iteration).
     */
    @Benchmark
    public Dbi<ByteBuffer> lmdbOpen(final LmdbFile file)
    {
        file.opened = Lmdb.env(file.dir);
        file.db = file.opened.openDbi(Lmdb.DB_NAME);
        return file.db;
    }
}

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
import org.HdrHistogram.Histogram;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;

/**
 * Durable 4 KiB commits, the store against the stores users would pick instead, all in one run (issue 14): 1, 2, 4
 * and 8 writers, each committing 1, 8 or 64 pages per commit, against LMDB (lmdbjava, default durable flags; writers
 * take turns), SQLite (sqlite-jdbc, WAL, {@code synchronous=FULL}, one 4 KiB blob per row, a connection per writer),
 * RocksDB (rocksdbjni, {@code WriteOptions.setSync(true)}, one write batch per commit) and the hand-written
 * {@link FileChannel} floor (pwrite the pages, fdatasync, then a checksummed header slot, fdatasync). An HdrHistogram
 * harness rather than JMH: each peer's database is set up once and every configuration runs for a fixed time, the
 * peers alternated within each configuration, and each commit's latency is recorded.
 *
 * <p>Every writer overwrites (or replaces) its own share of a fixed working set, so files keep their size: the store
 * writes new pages and frees the previous commit's (copy-on-write), the peers replace the values of their keys. The
 * store's user pages and the floor's file are written with zeros at setup, so no variant pays for converting blocks
 * reserved by {@code posix_fallocate} (CheckpointFlushProbe measures that separately).
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.rangedmmap.benchmarks.CommitPeers OUT_DIR [SECONDS] [ROUNDS]} writes
 * {@code commits.md} (throughput table, ratios, latency table) and {@code commits.csv}. To repeat some cells with
 * more rounds, name them with {@code -Dpeers.writers=1,2} and {@code -Dpeers.sizes=1} (default: every writer count
 * and commit size).
 */
public final class CommitPeers
{
    private static final int PAGE = PageStore.PAGE_SIZE;
    private static final int KEYS = 1 << 14;
    private static final int STORE_PAGES = 1 << 16;
    private static final int[] WRITERS = counts("peers.writers", "1,2,4,8");
    private static final int[] SIZES = counts("peers.sizes", "1,8,64");

    private CommitPeers()
    {
    }

    private static int[] counts(final String property, final String defaults)
    {
        final String value = System.getProperty(property, defaults);
        try
        {
            final int[] counts = Arrays.stream(value.split(",")).map(String::trim)
                .mapToInt(Integer::parseInt).toArray();
            if (0 == counts.length || Arrays.stream(counts).anyMatch(c -> c < 1))
            {
                throw new NumberFormatException("empty or below 1");
            }
            return counts;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(property + "=" + value + " must be a comma-separated list of positive " +
                "integers, such as " + defaults, ex);
        }
    }

    /**
     * One database under test.
     */
    interface Peer
    {
        String name();

        Committer writer(int index, int writers) throws Exception;

        void close() throws Exception;
    }

    /**
     * One writer thread's handle: commits {@code pages} pages durably.
     */
    interface Committer
    {
        void commit(int pages) throws Exception;

        default void close() throws Exception
        {
        }
    }

    /**
     * The measured outcome of one configuration of one peer.
     *
     * @param commits   commits made.
     * @param seconds   measured time.
     * @param latencies commit latencies, nanoseconds.
     */
    record Outcome(long commits, double seconds, Histogram latencies)
    {
        double commitsPerSecond()
        {
            return commits / seconds;
        }
    }

    /**
     * Runs the comparison.
     *
     * @param args output directory, seconds per configuration (default 2), rounds (default 1).
     * @throws Exception on any failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path out = Files.createDirectories(Path.of(args[0]));
        final double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        final Path dir = Files.createTempDirectory("rangedmmap-commit-peers-");
        final List<Peer> peers = new ArrayList<>();
        final Map<String, Outcome> results = new LinkedHashMap<>();
        try
        {
            peers.add(new StorePeer(dir.resolve("store.db")));
            peers.add(new LmdbPeer(Files.createDirectories(dir.resolve("lmdb"))));
            peers.add(new SqlitePeer(dir.resolve("sqlite.db")));
            peers.add(new RocksPeer(dir.resolve("rocksdb")));
            peers.add(new FloorPeer(dir.resolve("floor.bin")));
            for (int round = 0; round < rounds; round++)
            {
                for (final int size : SIZES)
                {
                    for (final int writers : WRITERS)
                    {
                        // Alternated: every peer once per configuration, in a rotating order.
                        for (int p = 0; p < peers.size(); p++)
                        {
                            final Peer peer = peers.get((p + round + size + writers) % peers.size());
                            final Outcome outcome = run(peer, writers, size, seconds);
                            results.merge(key(peer.name(), writers, size), outcome, CommitPeers::merge);
                            System.out.printf(Locale.ROOT, "%-12s writers=%d pages=%-3d %10.0f commits/s p50=%d us%n",
                                peer.name(), writers, size, outcome.commitsPerSecond(),
                                outcome.latencies().getValueAtPercentile(50) / 1000);
                        }
                    }
                }
            }
        }
        finally
        {
            for (final Peer peer : peers)
            {
                peer.close();
            }
            deleteRecursively(dir);
        }
        write(out, results, peers.stream().map(Peer::name).toList(), seconds, rounds);
    }

    static void deleteRecursively(final Path dir) throws IOException
    {
        try (var paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }

    private static String key(final String peer, final int writers, final int size)
    {
        return peer + "/" + writers + "/" + size;
    }

    private static Outcome merge(final Outcome a, final Outcome b)
    {
        final Histogram histogram = a.latencies().copy();
        histogram.add(b.latencies());
        return new Outcome(a.commits() + b.commits(), a.seconds() + b.seconds(), histogram);
    }

    private static Outcome run(final Peer peer, final int writers, final int size, final double seconds)
        throws Exception
    {
        final CyclicBarrier start = new CyclicBarrier(writers + 1);
        final AtomicBoolean stop = new AtomicBoolean();
        final long[] commits = new long[writers];
        final Histogram[] latencies = new Histogram[writers];
        final List<Thread> threads = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();
        for (int w = 0; w < writers; w++)
        {
            final int index = w;
            latencies[w] = new Histogram(10_000_000_000L, 3);
            final Committer committer = peer.writer(index, writers);
            threads.add(Thread.ofPlatform().name(peer.name() + "-" + index).start(() ->
            {
                try
                {
                    // A short warmup of each writer before the clock starts.
                    for (int i = 0; i < 20; i++)
                    {
                        committer.commit(size);
                    }
                    start.await();
                    long count = 0;
                    while (!stop.get())
                    {
                        final long begin = System.nanoTime();
                        committer.commit(size);
                        latencies[index].recordValue(System.nanoTime() - begin);
                        count++;
                    }
                    commits[index] = count;
                    committer.close();
                }
                catch (final Throwable ex)
                {
                    synchronized (errors)
                    {
                        errors.add(ex);
                    }
                    try
                    {
                        start.await();
                    }
                    catch (final Exception ignored)
                    {
                        // the run fails below
                    }
                }
            }));
        }
        start.await();
        final long begin = System.nanoTime();
        Thread.sleep((long)(seconds * 1000));
        stop.set(true);
        for (final Thread thread : threads)
        {
            thread.join();
        }
        final double elapsed = (System.nanoTime() - begin) / 1e9;
        if (!errors.isEmpty())
        {
            throw new IllegalStateException(peer.name() + " failed at writers=" + writers + " pages=" + size,
                errors.getFirst());
        }
        final Histogram all = new Histogram(10_000_000_000L, 3);
        long total = 0;
        for (int w = 0; w < writers; w++)
        {
            all.add(latencies[w]);
            total += commits[w];
        }
        return new Outcome(total, elapsed, all);
    }

    private static void write(final Path out, final Map<String, Outcome> results, final List<String> peers,
        final double seconds, final int rounds) throws IOException
    {
        final StringBuilder md = new StringBuilder();
        final StringBuilder csv = new StringBuilder("peer,writers,pages,commits,seconds,commits_per_s,p50_us," +
            "p99_us,p999_us\n");
        md.append("Durable 4 KiB commits, commits per second over all writers (").append(seconds).append(" s x ")
            .append(rounds).append(" round(s) per configuration, peers alternated). Ratio = store / best peer.\n\n");
        md.append("| pages/commit | writers |");
        for (final String peer : peers)
        {
            md.append(' ').append(peer).append(" |");
        }
        md.append(" store / best peer | best peer |\n|---|---|");
        md.append("---|".repeat(peers.size() + 2)).append('\n');
        for (final int size : SIZES)
        {
            for (final int writers : WRITERS)
            {
                md.append("| ").append(size).append(" | ").append(writers).append(" |");
                double store = 0;
                double best = 0;
                String bestName = "";
                for (final String peer : peers)
                {
                    final Outcome outcome = results.get(key(peer, writers, size));
                    final double rate = outcome.commitsPerSecond();
                    md.append(String.format(Locale.ROOT, " %,.0f |", rate));
                    csv.append(String.format(Locale.ROOT, "%s,%d,%d,%d,%.3f,%.1f,%.1f,%.1f,%.1f%n", peer, writers,
                        size, outcome.commits(), outcome.seconds(), rate, us(outcome, 50), us(outcome, 99),
                        us(outcome, 99.9)));
                    if ("pageStore".equals(peer))
                    {
                        store = rate;
                    }
                    else if (!"fileChannel".equals(peer) && rate > best)
                    {
                        best = rate;
                        bestName = peer;
                    }
                }
                md.append(String.format(Locale.ROOT, " %.2f%s | %s |%n", store / best, store >= best ? "" : " MISS",
                    bestName));
            }
        }
        md.append("\nCommit latency, one writer, one page per commit (microseconds):\n\n")
            .append("| peer | p50 | p99 | p99.9 | commits |\n|---|---|---|---|---|\n");
        for (final String peer : peers)
        {
            final Outcome outcome = results.get(key(peer, 1, 1));
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %,d |%n", peer, us(outcome, 50),
                us(outcome, 99), us(outcome, 99.9), outcome.commits()));
        }
        Files.writeString(out.resolve("commits.md"), md.toString());
        Files.writeString(out.resolve("commits.csv"), csv.toString());
        System.out.println(md);
    }

    private static double us(final Outcome outcome, final double percentile)
    {
        return outcome.latencies().getValueAtPercentile(percentile) / 1000.0;
    }

    /**
     * The library: a writer per thread, new pages per commit, the previous commit's pages freed (copy-on-write).
     */
    static final class StorePeer implements Peer
    {
        private final PageStore store;

        StorePeer(final Path file) throws IOException
        {
            // Its blocks written once, like the floor's file: create reserves them with posix_fallocate, and the first
            // write into each unwritten extent costs a journal commit at the next flush (measured by
            // CheckpointFlushProbe); the peers' files are written, not reserved.
            PageStore.create(file, STORE_PAGES).close();
            CheckpointFlushProbe.zeroFill(file, STORE_PAGES);
            store = PageStore.open(file);
        }

        @Override
        public String name()
        {
            return "pageStore";
        }

        @Override
        public Committer writer(final int index, final int writers)
        {
            final PageWriter writer = store.newWriter();
            final byte[] data = payload();
            final List<PageReceipt> receipts = new ArrayList<>();
            return new Committer()
            {
                private long[] previous = new long[0];

                @Override
                public void commit(final int pages)
                {
                    receipts.clear();
                    for (int i = 0; i < pages; i++)
                    {
                        receipts.add(writer.write(writer.allocate(), data));
                    }
                    store.checkpoint(receipts);
                    for (final long page : previous)
                    {
                        store.free(page);
                    }
                    previous = new long[pages];
                    for (int i = 0; i < pages; i++)
                    {
                        previous[i] = receipts.get(i).pageId();
                    }
                }

                @Override
                public void close()
                {
                    for (final long page : previous)
                    {
                        store.free(page);
                    }
                    writer.close();
                }
            };
        }

        @Override
        public void close()
        {
            store.close();
        }
    }

    /**
     * LMDB, default durable flags; one write transaction at a time, so writers take turns.
     */
    static final class LmdbPeer implements Peer
    {
        private final Env<ByteBuffer> env;
        private final Dbi<ByteBuffer> db;

        LmdbPeer(final Path dir)
        {
            env = Lmdb.env(dir);
            db = Lmdb.openFilled(env, KEYS);
        }

        @Override
        public String name()
        {
            return "lmdb";
        }

        @Override
        public Committer writer(final int index, final int writers)
        {
            final ByteBuffer key = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.BIG_ENDIAN);
            final ByteBuffer value = ByteBuffer.allocateDirect(PAGE).put(payload()).clear();
            final Keys keys = new Keys(index, writers);
            return pages ->
            {
                try (Txn<ByteBuffer> txn = env.txnWrite())
                {
                    for (int i = 0; i < pages; i++)
                    {
                        key.clear();
                        key.putLong(0, keys.next());
                        value.clear();
                        db.put(txn, key, value);
                    }
                    txn.commit();
                }
            };
        }

        @Override
        public void close()
        {
            env.close();
        }
    }

    /**
     * SQLite in WAL mode with {@code synchronous=FULL}: one sync per commit, of the WAL; a connection per writer.
     */
    static final class SqlitePeer implements Peer
    {
        private final String url;
        private final Connection setup;

        SqlitePeer(final Path file) throws Exception
        {
            url = "jdbc:sqlite:" + file;
            setup = connect();
            try (Statement statement = setup.createStatement())
            {
                statement.execute("CREATE TABLE pages (k INTEGER PRIMARY KEY, v BLOB NOT NULL)");
            }
            setup.setAutoCommit(false);
            try (PreparedStatement insert = setup.prepareStatement("INSERT INTO pages (k, v) VALUES (?, ?)"))
            {
                final byte[] zero = new byte[PAGE];
                for (int k = 0; k < KEYS; k++)
                {
                    insert.setLong(1, k);
                    insert.setBytes(2, zero);
                    insert.executeUpdate();
                }
            }
            setup.commit();
            setup.setAutoCommit(true);
        }

        private Connection connect() throws Exception
        {
            final Connection connection = DriverManager.getConnection(url);
            try (Statement statement = connection.createStatement())
            {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=FULL");
                statement.execute("PRAGMA busy_timeout=60000");
            }
            return connection;
        }

        @Override
        public String name()
        {
            return "sqlite";
        }

        @Override
        public Committer writer(final int index, final int writers) throws Exception
        {
            final Connection connection = connect();
            final PreparedStatement begin = connection.prepareStatement("BEGIN IMMEDIATE");
            final PreparedStatement commit = connection.prepareStatement("COMMIT");
            final PreparedStatement update = connection.prepareStatement(
                "INSERT OR REPLACE INTO pages (k, v) VALUES (?, ?)");
            final byte[] data = payload();
            final Keys keys = new Keys(index, writers);
            return new Committer()
            {
                @Override
                public void commit(final int pages) throws Exception
                {
                    begin.execute();
                    for (int i = 0; i < pages; i++)
                    {
                        update.setLong(1, keys.next());
                        update.setBytes(2, data);
                        update.executeUpdate();
                    }
                    commit.execute();
                }

                @Override
                public void close() throws Exception
                {
                    connection.close();
                }
            };
        }

        @Override
        public void close() throws Exception
        {
            setup.close();
        }
    }

    /**
     * RocksDB with synced writes: concurrent writers share WAL syncs (its group commit).
     */
    static final class RocksPeer implements Peer
    {
        private final Options options;
        private final RocksDB db;
        private final WriteOptions sync;

        RocksPeer(final Path dir) throws Exception
        {
            RocksDB.loadLibrary();
            options = new Options().setCreateIfMissing(true);
            db = RocksDB.open(options, dir.toString());
            sync = new WriteOptions().setSync(true);
        }

        @Override
        public String name()
        {
            return "rocksdb";
        }

        @Override
        public Committer writer(final int index, final int writers)
        {
            final byte[] data = payload();
            final byte[] key = new byte[Long.BYTES];
            final Keys keys = new Keys(index, writers);
            return pages ->
            {
                try (WriteBatch batch = new WriteBatch())
                {
                    for (int i = 0; i < pages; i++)
                    {
                        final long k = keys.next();
                        for (int b = 0; b < Long.BYTES; b++)
                        {
                            key[b] = (byte)(k >>> (56 - 8 * b));
                        }
                        batch.put(key, data);
                    }
                    db.write(sync, batch);
                }
            };
        }

        @Override
        public void close()
        {
            sync.close();
            db.close();
            options.close();
        }
    }

    /**
     * The floor: pwrite the pages into the writer's share of a preallocated, written file, fdatasync, then a header
     * slot with a sequence and a CRC32C under one lock, fdatasync.
     */
    static final class FloorPeer implements Peer
    {
        private final FileChannel channel;
        private final ByteBuffer header = ByteBuffer.allocateDirect(PAGE).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private long sequence;

        FloorPeer(final Path file) throws IOException
        {
            final long size = (2L + KEYS) * PAGE;
            MmapFile.createDefault(file, size).close();
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            final ByteBuffer zero = ByteBuffer.allocateDirect(PAGE);
            for (long position = 0; position < size; position += PAGE)
            {
                zero.clear();
                StoreWriteBenchmark.writeFully(channel, zero, position);
            }
            channel.force(false);
        }

        @Override
        public String name()
        {
            return "fileChannel";
        }

        @Override
        public Committer writer(final int index, final int writers)
        {
            final ByteBuffer src = ByteBuffer.allocateDirect(PAGE).put(payload()).clear();
            final Keys keys = new Keys(index, writers);
            return pages ->
            {
                for (int i = 0; i < pages; i++)
                {
                    src.clear();
                    StoreWriteBenchmark.writeFully(channel, src, (2 + keys.next()) * PAGE);
                }
                channel.force(false);
                commitHeader();
            };
        }

        private synchronized void commitHeader() throws IOException
        {
            DurableWriteBenchmark.Floor.writeHeader(channel, header, crc, ++sequence);
        }

        @Override
        public void close() throws IOException
        {
            channel.close();
        }
    }

    /**
     * A writer's share of the keys, cycled.
     */
    static final class Keys
    {
        private final long first;
        private final long count;
        private long next;

        Keys(final int index, final int writers)
        {
            count = KEYS / writers;
            first = index * count;
        }

        long next()
        {
            final long value = first + next;
            next = next + 1 == count ? 0 : next + 1;
            return value;
        }
    }

    private static byte[] payload()
    {
        final byte[] data = new byte[PAGE];
        ThreadLocalRandom.current().nextBytes(data);
        return data;
    }
}

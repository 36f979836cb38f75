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

import io.rangedmmap.mmap.RangeReader;
import io.rangedmmap.store.PageReceipt;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;
import io.rangedmmap.store.StoreSnapshot;
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
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * How fast are random 4 KiB page reads through a {@link StoreSnapshot} against {@link PageStore#read(long, byte[])}
 * of the same pages (issue 11: at least 0.95x)? The snapshot checks the page's state in the page table (whose line
 * holds the CRC32C) and probes its lifetimes (issue 10: a table of the pages changed while a snapshot is open); both
 * copy out of the mapping and check the CRC32C, or read in place.
 *
 * <p>65,536 live pages (256 MiB), read once whole before measuring; one snapshot held over the trial; one thread;
 * nanoseconds per page. With {@code changed=65536}, once the snapshot is open every page of its checkpoint is freed
 * and as many new pages are written and checkpointed (the store is twice as large): the snapshot reads its pages, all
 * with an entry in its lifetimes (131,072 entries), the store reads the new ones.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class SnapshotReadBenchmark
{
    private static final int PAGES = 1 << 16;

    /**
     * Pages replaced while the snapshot is open: 0 or {@code PAGES}.
     */
    @Param({"0"})
    public int changed;

    private Path dir;
    private PageStore store;
    private StoreSnapshot snapshot;
    private long first;
    private long storeFirst;
    private final byte[] dst = new byte[PageStore.PAGE_SIZE];
    private final SplittableRandom random = new SplittableRandom(42);
    private Blackhole sink;
    private final RangeReader firstLong = view -> sink.consume(view.getLong(0));

    /**
     * Builds the store, reads it once and opens the snapshot.
     *
     * @param blackhole where the in-place reads leave a value.
     * @throws IOException if it cannot be created.
     */
    @Setup(Level.Trial)
    public void setUp(final Blackhole blackhole) throws IOException
    {
        sink = blackhole;
        dir = Files.createTempDirectory("rangedmmap-bench-snapshot-");
        store = PageStore.create(dir.resolve("store.db"), 0 == changed ? PAGES : 2 * PAGES);
        first = writePages();
        storeFirst = first;
        snapshot = store.snapshot();
        if (0 != changed)
        {
            for (int i = 0; i < PAGES; i++)
            {
                store.free(first + i);
            }
            storeFirst = writePages();
            for (int i = 0; i < PAGES; i++)
            {
                snapshot.read(first + i, dst);
            }
        }
    }

    /**
     * {@return the first of {@code PAGES} new pages of random bytes}, written, checkpointed and read once.
     */
    private long writePages() throws IOException
    {
        final long written;
        try (PageWriter writer = store.newWriter())
        {
            written = writer.allocate(PAGES);
            final List<PageReceipt> receipts = new ArrayList<>(PAGES);
            for (int i = 0; i < PAGES; i++)
            {
                ThreadLocalRandom.current().nextBytes(dst);
                receipts.add(writer.write(written + i, dst));
            }
            store.checkpoint(receipts);
        }
        for (int i = 0; i < PAGES; i++)
        {
            store.read(written + i, dst);
        }
        return written;
    }

    /**
     * Closes the snapshot and the store, and deletes it.
     *
     * @throws IOException if it cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        snapshot.close();
        store.close();
        TempDirs.deleteTree(dir);
    }

    /**
     * {@return a page copied by the store's read}
     */
    @Benchmark
    public byte[] storeRead()
    {
        store.read(storeFirst + random.nextInt(PAGES), dst);
        return dst;
    }

    /**
     * {@return a page copied by the snapshot's read}
     */
    @Benchmark
    public byte[] snapshotRead()
    {
        snapshot.read(first + random.nextInt(PAGES), dst);
        return dst;
    }

    /**
     * The store's in-place read.
     */
    @Benchmark
    public void storeReadInPlace()
    {
        store.read(storeFirst + random.nextInt(PAGES), firstLong);
    }

    /**
     * The snapshot's in-place read.
     */
    @Benchmark
    public void snapshotReadInPlace()
    {
        snapshot.read(first + random.nextInt(PAGES), firstLong);
    }
}

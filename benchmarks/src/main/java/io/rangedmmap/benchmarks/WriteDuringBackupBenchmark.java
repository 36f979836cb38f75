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
import io.rangedmmap.store.StoreOptions;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Write throughput of 2 writers while a backup runs, against without (issue 11). Each writer writes a page, and
 * every 32 pages checkpoints them and frees its 32 oldest, so the store stays a quarter full; with
 * {@code backup=true} a background thread backs the store up again and again (a full backup, deleted after each).
 * Pages written per millisecond.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
@Threads(2)
@State(Scope.Benchmark)
public class WriteDuringBackupBenchmark
{
    private static final int PAGES = 1 << 16;
    private static final int BATCH = 32;

    /**
     * Whether a backup runs in the background.
     */
    @Param({"false", "true"})
    public boolean backup;

    private Path dir;
    private PageStore store;
    private Thread backupThread;
    private final AtomicBoolean running = new AtomicBoolean();

    /**
     * One writer and its pages.
     */
    @State(Scope.Thread)
    public static class Writer
    {
        PageWriter writer;
        final byte[] data = new byte[PageStore.PAGE_SIZE];
        final List<PageReceipt> pending = new ArrayList<>(BATCH);
        final ArrayDeque<Long> mine = new ArrayDeque<>();

        /**
         * Opens the writer.
         *
         * @param bench the store.
         */
        @Setup(Level.Trial)
        public void setUp(final WriteDuringBackupBenchmark bench)
        {
            writer = bench.store.newWriter();
        }

        /**
         * Closes the writer.
         */
        @TearDown(Level.Trial)
        public void tearDown()
        {
            writer.close();
        }
    }

    /**
     * Creates the store, a quarter full, and starts the background backups.
     *
     * @throws IOException if it cannot be created.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("rangedmmap-bench-write-backup-");
        store = PageStore.create(dir.resolve("store.db"), PAGES, StoreOptions.defaults().withExtentPages(BATCH));
        try (PageWriter writer = store.newWriter())
        {
            final long first = writer.allocate(PAGES / 4);
            final List<PageReceipt> receipts = new ArrayList<>();
            for (int i = 0; i < PAGES / 4; i++)
            {
                receipts.add(writer.write(first + i, new byte[PageStore.PAGE_SIZE]));
            }
            store.checkpoint(receipts);
        }
        running.set(backup);
        if (backup)
        {
            backupThread = Thread.ofPlatform().name("background-backup").start(() ->
            {
                final Path target = dir.resolve("backup.db");
                try
                {
                    while (running.get())
                    {
                        store.backup(target);
                        Files.delete(target);
                    }
                }
                catch (final IOException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
        }
    }

    /**
     * Stops the backups, closes and deletes the store.
     *
     * @throws Exception if it cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        running.set(false);
        if (null != backupThread)
        {
            backupThread.join();
        }
        store.close();
        TempDirs.deleteTree(dir);
    }

    /**
     * Writes one page; every {@code BATCH} pages checkpoints them and frees the writer's oldest.
     *
     * @param w the writer.
     */
    @Benchmark
    public void write(final Writer w)
    {
        final long id = w.writer.allocate();
        w.pending.add(w.writer.write(id, w.data));
        w.mine.addLast(id);
        if (BATCH == w.pending.size())
        {
            if (w.mine.size() > 4 * BATCH)
            {
                for (int i = 0; i < BATCH; i++)
                {
                    store.free(w.mine.removeFirst());
                }
            }
            store.checkpoint(w.pending);
            w.pending.clear();
        }
    }
}

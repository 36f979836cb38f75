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
import io.rangedmmap.store.Checkpoint;
import io.rangedmmap.store.PageReceipt;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;
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
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * How long does a hot backup take against {@code cp} of the store file (a floor for copying bytes; it copies the
 * free space too), and an incremental backup after 1% of the live pages changed against the full one (issue 11: at
 * most 5%)?
 *
 * <p>A store of {@code pages} user pages with a quarter of them live (the 4 GiB store with 1 GiB live is
 * {@code -p pages=1048576}; the default is scaled down to 1 GiB with 256 MiB live for this VM's short runs), built once
 * per trial. {@code fullBackup} writes a new backup (deleted after each invocation); {@code cp} runs
 * {@code cp --sparse=never} of the file; {@code incrementalBackup} first (outside the measured time) frees and
 * rewrites 1% of the live pages in one checkpoint, then brings a backup forward. Single shot, milliseconds.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class BackupBenchmark
{
    /**
     * User pages of the store; a quarter are live.
     */
    @Param({"262144"})
    public int pages;

    private Path dir;
    private PageStore store;
    private Path full;
    private Path chain;
    private final List<Long> live = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(7);

    /**
     * Builds the store and the backup the incremental runs bring forward.
     *
     * @throws IOException if it cannot be created.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("rangedmmap-bench-backup-");
        store = PageStore.create(dir.resolve("store.db"), pages);
        final byte[] data = new byte[PageStore.PAGE_SIZE];
        final int livePages = pages / 4;
        try (PageWriter writer = store.newWriter())
        {
            final long first = writer.allocate(livePages);
            store.advise(first, livePages, Advice.POPULATE_WRITE);
            final List<PageReceipt> receipts = new ArrayList<>(livePages);
            for (int i = 0; i < livePages; i++)
            {
                ThreadLocalRandom.current().nextBytes(data);
                receipts.add(writer.write(first + i, data));
                live.add(first + i);
            }
            store.checkpoint(receipts);
        }
        full = dir.resolve("full.db");
        chain = dir.resolve("chain.db");
        store.backup(chain);
    }

    /**
     * Closes and deletes everything.
     *
     * @throws IOException if it cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        store.close();
        TempDirs.deleteTree(dir);
    }

    /**
     * Deletes the full backup and the {@code cp} copy of the last invocation.
     *
     * @throws IOException if they cannot be deleted.
     */
    @TearDown(Level.Invocation)
    public void deleteCopies() throws IOException
    {
        Files.deleteIfExists(full);
    }

    /**
     * Changes 1% of the live pages (frees them, writes as many new ones) in one checkpoint, unmeasured.
     */
    @Setup(Level.Invocation)
    public void changeOnePercent()
    {
        final int changes = live.size() / 100;
        final byte[] data = new byte[PageStore.PAGE_SIZE];
        final List<PageReceipt> receipts = new ArrayList<>(changes);
        try (PageWriter writer = store.newWriter())
        {
            final Set<Integer> victims = new HashSet<>();
            while (victims.size() < changes)
            {
                victims.add(random.nextInt(live.size()));
            }
            for (final int victim : victims)
            {
                store.free(live.get(victim));
                final long id = writer.allocate();
                ThreadLocalRandom.current().nextBytes(data);
                receipts.add(writer.write(id, data));
                live.set(victim, id);
            }
        }
        store.checkpoint(receipts);
    }

    /**
     * {@return a full backup of the store}
     *
     * @throws IOException if it fails.
     */
    @Benchmark
    public Checkpoint fullBackup() throws IOException
    {
        return store.backup(full);
    }

    /**
     * {@return the backup brought forward over the last 1% change}
     *
     * @throws IOException if it fails.
     */
    @Benchmark
    public Checkpoint incrementalBackup() throws IOException
    {
        return store.backupTo(chain);
    }

    /**
     * {@return cp's exit code}: a copy of the whole file, free space included, then {@code sync} of it.
     *
     * @throws Exception if it cannot be run.
     */
    @Benchmark
    public int cp() throws Exception
    {
        final int code = new ProcessBuilder("cp", "--sparse=never", store.path().toString(), full.toString())
            .inheritIO().start().waitFor();
        return code + new ProcessBuilder("sync", full.toString()).inheritIO().start().waitFor();
    }
}

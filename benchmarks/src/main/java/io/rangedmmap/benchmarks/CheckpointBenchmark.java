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

import io.rangedmmap.mmap.RawMmapFile;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What does {@link PageStore#checkpoint(java.util.Collection)} of 1, 64 and 4096 freshly written pages cost, against
 * the least any atomic commit of those pages must do, and does its cost depend on the size of the store?
 *
 * <ul>
 *     <li>{@code checkpoint}: the library. Before every invocation (untimed) the pages of the previous one are freed
 *     and that free is checkpointed, then one writer allocates {@code pages} fresh pages (one contiguous run) and
 *     writes them; the invocation is the checkpoint of their receipts. Every checkpoint therefore has the same
 *     work: {@code pages} dirty data pages, the metadata table pages covering them and the freed pages (510 entries
 *     per table page: 1 to 2 table pages at 1 and 64 pages, 9 to 10 at 4096, flushed by one msync over their span),
 *     and one superblock page, each group flushed before the next is written.</li>
 *     <li>{@code floor}, done by hand on a {@link RawMmapFile} of the same size: before every invocation (untimed)
 *     {@code pages} fresh pages are written at the next position of a cursor that walks the file, plus one
 *     metadata-sized page and one superblock-sized page; the invocation is three {@link RawMmapFile#flushRange}s
 *     ({@code msync(MS_SYNC)}): the data run (coalesced into one, as the store coalesces adjacent pages), then the
 *     metadata page, then the superblock page. No checksums, no table, nothing else. (It was written for the
 *     store's earlier three-flush order; the store now needs one flush fewer than this floor.)</li>
 * </ul>
 *
 * <p>{@code storeSize} is the store's user capacity (64 MiB or 4 GiB; the floor's file is as large), each created
 * once per trial and deleted at its end. Both walk through their whole file, so data pages are first touched (page
 * faults, untimed: they happen in the writes before the invocation) and, in the 4 GiB store, the checkpoint's
 * metadata table pages are often touched for the first time by this mapping inside the timed checkpoint (minor
 * faults of pages already in the page cache, as a real 4 GiB store would see); in the 64 MiB store the walk wraps
 * after 16,384 pages and they stay mapped.
 *
 * <p>Scores are microseconds per checkpoint. Targets (issue 3): {@code checkpoint} within 1.3x of {@code floor} at
 * every page count, and {@code checkpoint} on the 4 GiB store within 1.2x of the 64 MiB store's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
@Threads(1)
@State(Scope.Benchmark)
public class CheckpointBenchmark
{
    /**
     * Pages per checkpoint.
     */
    @Param({"1", "64", "4096"})
    public int pages;

    /**
     * User capacity of the store in bytes: 64 MiB or 4 GiB.
     */
    @Param({"67108864", "4294967296"})
    public long storeSize;

    /**
     * The library's store and the receipts of the pages to checkpoint.
     */
    @State(Scope.Benchmark)
    public static class Store
    {
        Path dir;
        PageStore store;
        PageWriter writer;
        byte[] data;
        List<PageReceipt> receipts = new ArrayList<>();
        Checkpoint last;

        /**
         * Creates the store.
         *
         * @param benchmark the parameters.
         * @throws IOException if it cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp(final CheckpointBenchmark benchmark) throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
            store = PageStore.create(dir.resolve("store.db"), benchmark.storeSize / PageStore.PAGE_SIZE);
            writer = store.newWriter();
            data = new byte[PageStore.PAGE_SIZE];
            ThreadLocalRandom.current().nextBytes(data);
        }

        /**
         * Untimed: frees the pages of the last checkpoint (checkpointed, so they can be reused), then writes
         * {@code pages} fresh pages.
         *
         * @param benchmark the parameters.
         */
        @Setup(Level.Invocation)
        public void write(final CheckpointBenchmark benchmark)
        {
            if (!receipts.isEmpty())
            {
                for (final PageReceipt receipt : receipts)
                {
                    store.free(receipt.pageId());
                }
                store.checkpoint(List.of());
                receipts.clear();
            }
            final long first = writer.allocate(benchmark.pages);
            for (int i = 0; i < benchmark.pages; i++)
            {
                receipts.add(writer.write(first + i, data));
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
            if (null != last && last.pagesFlushed() != receipts.size())
            {
                throw new IllegalStateException("checkpoint flushed " + last + ", expected pages=" + receipts.size());
            }
            writer.close();
            store.close();
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * The floor's file and its cursor.
     */
    @State(Scope.Benchmark)
    public static class Floor
    {
        static final int HEADER_PAGES = 4;

        Path dir;
        RawMmapFile file;
        byte[] data;
        long dataPages;
        long cursor;
        long run;
        long sequence;

        /**
         * Creates the file: four header pages (two superblock-sized, two metadata-sized) and {@code storeSize} of
         * data pages.
         *
         * @param benchmark the parameters.
         * @throws IOException if it cannot be created.
         */
        @Setup(Level.Trial)
        public void setUp(final CheckpointBenchmark benchmark) throws IOException
        {
            dir = Files.createTempDirectory("rangedmmap-bench-");
            dataPages = benchmark.storeSize / PageStore.PAGE_SIZE;
            file = RawMmapFile.create(dir.resolve("floor.bin"), (HEADER_PAGES + dataPages) * PageStore.PAGE_SIZE);
            data = new byte[PageStore.PAGE_SIZE];
            ThreadLocalRandom.current().nextBytes(data);
        }

        /**
         * Untimed: writes {@code pages} pages at the cursor, one metadata page and one superblock page.
         *
         * @param benchmark the parameters.
         */
        @Setup(Level.Invocation)
        public void write(final CheckpointBenchmark benchmark)
        {
            if (cursor + benchmark.pages > dataPages)
            {
                cursor = 0;
            }
            run = cursor;
            cursor += benchmark.pages;
            for (int i = 0; i < benchmark.pages; i++)
            {
                file.writeAt((HEADER_PAGES + run + i) * PageStore.PAGE_SIZE, data);
            }
            sequence++;
            file.writeAt(metadataOffset(), data);
            file.writeAt(superblockOffset(), data);
        }

        long metadataOffset()
        {
            return (2 + (sequence & 1)) * PageStore.PAGE_SIZE;
        }

        long superblockOffset()
        {
            return (sequence & 1) * PageStore.PAGE_SIZE;
        }

        /**
         * Closes and deletes the file.
         *
         * @throws IOException if it cannot be deleted.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            file.close();
            TempDirs.deleteTree(dir);
        }
    }

    /**
     * The library: one checkpoint of {@code pages} freshly written pages.
     *
     * @param store the store.
     * @return what it flushed.
     */
    @Benchmark
    public Checkpoint checkpoint(final Store store)
    {
        store.last = store.store.checkpoint(store.receipts);
        return store.last;
    }

    /**
     * The floor: msync of the data run, of one metadata page, of one superblock page, in that order.
     *
     * @param floor the file.
     * @throws IOException if a flush fails.
     */
    @Benchmark
    public void floor(final Floor floor) throws IOException
    {
        final RawMmapFile file = floor.file;
        file.flushRange((Floor.HEADER_PAGES + floor.run) * PageStore.PAGE_SIZE, (long)pages * PageStore.PAGE_SIZE);
        file.flushRange(floor.metadataOffset(), PageStore.PAGE_SIZE);
        file.flushRange(floor.superblockOffset(), PageStore.PAGE_SIZE);
    }
}

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
package io.rangedmmap.store;

import io.rangedmmap.store.StoreOracle.Snapshot;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Simulated power loss (matrix row 1). A {@link PowerLossRecorder} under the store's flushes records what each flush
 * made durable; at a crash point, {@link CrashImages} builds disk images in which every page dirtied but not flushed
 * is old, new, torn at 512-byte sectors or garbage, and checks that each opens at exactly the last acknowledged
 * checkpoint, or the one in flight if its superblock reached the image, byte for byte, with exact counts and roots,
 * the other pages free and a clean verify; one image in eight then takes one more checkpoint and is reopened.
 *
 * <p>Crash points: every flush boundary of small single-writer workloads (before each data, metadata and superblock
 * flush, and after each checkpoint returns), and random flush boundaries of a long workload of 8 writer threads and a
 * checkpointing thread, and of 8 writer threads each committing its own pages through group commit (the oracle
 * learns each group's content from the store as its flush starts, and checks that every caller was told the
 * checkpoint that holds its pages). Small workloads whose writers discard some of their pages (aborted transactions)
 * have their own crash points. CI runs about 16,000 images; the soak scale about 1,000,000:
 * {@code mvn -B -o -pl store test -Dsurefire.excludedGroups=none -Dgroups=soak -Dtest=PowerLossCrashTest}
 * (or {@code -Psoak}).
 */
@Tag("crash")
class PowerLossCrashTest
{
    private static final int WRITERS = 8;

    @TempDir
    Path dir;

    @Test
    void shouldRecoverEveryImageAtEveryFlushBoundaryOfSmallWorkloads() throws IOException
    {
        final long images = smallWorkloads(18, 20);
        System.out.println("power loss, small workloads: images=" + images);
        assertTrue(images >= 6_500, "images=" + images);
    }

    /**
     * A store that grows (by 300 pages, crossing metadata groups) between and during checkpoints: every image opens
     * at the size its checkpoint recorded, with a tail the growth left behind ignored.
     */
    @Test
    void shouldRecoverEveryImageOfAGrowingStore() throws IOException
    {
        final long images = growingWorkload(1, 12) + growingWorkload(2, 12) + growingWorkload(3, 12);
        System.out.println("power loss, growing store: images=" + images);
        assertTrue(images >= 1_000, "images=" + images);
    }

    @Test
    void shouldRecoverEveryImageAtEveryFlushBoundaryOfSmallWorkloadsThatDiscard() throws IOException
    {
        long images = 0;
        for (int seed = 101; seed <= 108; seed++)
        {
            images += randomSmallWorkload(seed, 20, true);
        }
        System.out.println("power loss, small workloads with discards: images=" + images);
        assertTrue(images >= 3_000, "images=" + images);
    }

    /**
     * Clean closes and the runs after them: each cycle opens the store the cycle before closed cleanly, under a new
     * recorder, takes a few checkpoints over three groups (pages added and freed, roots set), and closes it. Crash
     * points at every flush: among them those of each run's first checkpoint, which first clears the close's mark
     * (its own flush), and those of each close, which makes the two metadata copies equal (one flush) and then marks
     * the spare superblock (another). Each image opens at the last acknowledged checkpoint or the one in flight; an
     * image of a close opens at the last acknowledged one, cleanly closed or not.
     */
    @Test
    void shouldRecoverEveryImageOfCleanClosesAndOfTheRunsAfterThem() throws IOException
    {
        final Map<String, Integer> points = new java.util.TreeMap<>();
        long images = 0;
        for (int seed = 201; seed <= 204; seed++)
        {
            images += cleanCloseCycles(seed, 16, points);
        }
        System.out.println("power loss, clean closes: images=" + images + " crash points=" + points);
        assertTrue(points.getOrDefault("clearing the mark", 0) >= 20, points.toString());
        assertTrue(points.getOrDefault("closing", 0) >= 40, points.toString());
        assertTrue(images >= 2_000, "images=" + images);
    }

    private long cleanCloseCycles(final long seed, final int perPoint, final Map<String, Integer> points)
        throws IOException
    {
        final Random random = new Random(seed);
        final Path file = dir.resolve("clean-" + seed + ".store");
        final StoreOptions options = StoreOptions.defaults().withExtentPages(4);
        PageStore.create(file, 2_000, options).close();
        final CrashImages images = new CrashImages(dir.resolve("clean-" + seed + ".image"), seed);
        final long[] roots = new long[PageStore.ROOT_SLOTS];
        final Snapshot[] acked = {Snapshot.empty()};
        final Snapshot[] inFlight = {null};
        final String[] phase = {""};
        for (int cycle = 0; cycle < 6; cycle++)
        {
            final int thisCycle = cycle;
            final PowerLossRecorder recorder = new PowerLossRecorder(Files.readAllBytes(file));
            try (PageStore store = PageStore.open(file, options, recorder))
            {
                recorder.onCrashPoint((f, where) ->
                {
                    points.merge(phase[0], 1, Integer::sum);
                    final byte[] current = new byte[(int)f.size()];
                    f.readAt(0, current);
                    try
                    {
                        images.check(recorder.durable(), current, acked[0], inFlight[0], perPoint,
                            phase[0] + ", cycle " + thisCycle + ": " + where);
                    }
                    catch (final IOException ex)
                    {
                        throw new UncheckedIOException(ex);
                    }
                    // Only the first flush of a run's first checkpoint clears the mark.
                    phase[0] = "checkpoint".equals(phase[0]) || "clearing the mark".equals(phase[0]) ?
                        "checkpoint" : phase[0];
                });
                try (PageWriter writer = store.newWriter())
                {
                    for (int checkpoint = 0; checkpoint < 3; checkpoint++)
                    {
                        final Map<Long, Long> added = new HashMap<>();
                        final List<PageReceipt> receipts = new ArrayList<>();
                        for (int i = 0; i < 1 + random.nextInt(3) && store.stats().freePages() > 8; i++)
                        {
                            final long pageId = writer.allocate();
                            final long contentSeed = seed * 1_000_000 + cycle * 1_000 + checkpoint * 10 + i;
                            receipts.add(writer.write(pageId, page(contentSeed)));
                            added.put(pageId, contentSeed);
                        }
                        final List<Long> live = new ArrayList<>(acked[0].pages().keySet());
                        live.sort(null);
                        final List<Long> frees = live.size() < 3 ? List.of() :
                            List.of(live.get(random.nextInt(live.size())));
                        frees.forEach(store::free);
                        long run = -1;
                        if (random.nextBoolean())
                        {
                            try
                            {
                                run = writer.allocate(520);
                            }
                            catch (final StoreFullException full)
                            {
                                // No run that long is left: no far page this time.
                            }
                        }
                        if (run >= 0)
                        {
                            // A page far up, in the next group, so that the copies differ in several groups: the
                            // run's other pages go back at once (discarded unwritten).
                            final long far = run + 515;
                            for (long pageId = run; pageId < run + 520; pageId++)
                            {
                                if (pageId != far)
                                {
                                    writer.discard(pageId);
                                }
                            }
                            final long contentSeed = seed * 1_000_000 + cycle * 1_000 + checkpoint * 10 + 9;
                            receipts.add(writer.write(far, page(contentSeed)));
                            added.put(far, contentSeed);
                        }
                        if (random.nextBoolean())
                        {
                            roots[random.nextInt(PageStore.ROOT_SLOTS)] = random.nextLong();
                        }
                        for (int slot = 0; slot < PageStore.ROOT_SLOTS; slot++)
                        {
                            store.setRoot(slot, roots[slot]);
                        }
                        inFlight[0] = acked[0].next(added, frees, roots.clone());
                        phase[0] = 0 == checkpoint ? "clearing the mark" : "checkpoint";
                        store.checkpoint(receipts);
                        acked[0] = inFlight[0];
                        inFlight[0] = null;
                        images.acknowledged();
                    }
                }
                phase[0] = "closing";
            }
        }
        return images.images();
    }

    @Test
    void shouldRecoverImagesAtRandomPointsOfAConcurrentWorkload() throws Exception
    {
        concurrentWorkload(3_000, 8, 42);
    }

    @Test
    void shouldRecoverImagesOfGroupCommitsOfEightWriters() throws Exception
    {
        groupCommitWorkload(3_000, 8, 43);
    }

    @Test
    @Tag("soak")
    void shouldRecoverAMillionImages() throws Exception
    {
        System.out.println("power loss soak, small workloads: images=" + smallWorkloads(300, 60));
        concurrentWorkload(540_000, 16, 4242);
        groupCommitWorkload(100_000, 16, 4343);
    }

    private long smallWorkloads(final int seeds, final int perPoint) throws IOException
    {
        long images = 0;
        images += scriptAcrossTablePages(perPoint);
        for (int seed = 1; seed <= seeds; seed++)
        {
            images += randomSmallWorkload(seed, perPoint, false);
        }
        return images;
    }

    /**
     * A driver that runs a workload on a store under a recorder, keeps the oracle and checks images at crash points.
     */
    private final class Run implements AutoCloseable
    {
        final PageStore store;
        final PowerLossRecorder recorder;
        final CrashImages images;
        final long[] roots = new long[PageStore.ROOT_SLOTS];
        volatile int perPoint;
        Snapshot acked = Snapshot.empty();
        Snapshot inFlight;

        Run(final String name, final long pageCount, final int extentPages, final long seed, final int perPoint)
            throws IOException
        {
            this(name, pageCount, StoreOptions.defaults().withExtentPages(extentPages), seed, perPoint);
        }

        Run(final String name, final long pageCount, final StoreOptions options, final long seed, final int perPoint)
            throws IOException
        {
            final Path file = dir.resolve(name + ".store");
            PageStore.create(file, pageCount, options).close();
            recorder = new PowerLossRecorder(Files.readAllBytes(file));
            store = PageStore.open(file, options, recorder);
            images = new CrashImages(dir.resolve(name + ".image"), seed);
            this.perPoint = perPoint;
            recorder.onCrashPoint((f, where) -> crash(where));
        }

        void crash(final String where)
        {
            if (0 == perPoint)
            {
                return;
            }
            final byte[] current = new byte[(int)store.file().size()];
            store.file().readAt(0, current);
            try
            {
                images.check(recorder.durable(), current, acked, inFlight, perPoint, where);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        void setRoot(final int slot, final long value)
        {
            store.setRoot(slot, value);
            roots[slot] = value;
        }

        void checkpoint(final List<PageReceipt> receipts, final Map<Long, Long> added, final List<Long> frees)
        {
            for (final long page : frees)
            {
                store.free(page);
            }
            inFlight = acked.next(added, frees, roots);
            store.checkpoint(receipts);
            acked = inFlight;
            inFlight = null;
            images.acknowledged();
            crash("after checkpoint " + acked.sequence() + " returned");
        }

        @Override
        public void close()
        {
            store.close();
        }
    }

    private long scriptAcrossTablePages(final int perPoint) throws IOException
    {
        try (Run run = new Run("script", 600, 4, 7, perPoint))
        {
            final Map<Long, Long> added = new HashMap<>();
            final List<PageReceipt> receipts = new ArrayList<>();
            final long first;
            try (PageWriter wide = run.store.newWriter())
            {
                first = wide.allocate(520);
                for (final long page : new long[]{first, first + 1, first + 509, first + 510, first + 519})
                {
                    receipts.add(wide.write(page, page(page + 100)));
                    added.put(page, page + 100);
                }
            }
            run.setRoot(0, 1);
            run.checkpoint(receipts, added, List.of());

            try (PageWriter writer = run.store.newWriter())
            {
                final long page = writer.allocate();
                run.setRoot(1, 2);
                run.checkpoint(List.of(writer.write(page, page(page + 200))), Map.of(page, page + 200),
                    List.of(first + 510));
            }
            run.setRoot(0, 3);
            run.checkpoint(List.of(), Map.of(), List.of());
            run.checkpoint(List.of(), Map.of(), List.of(first));
            try (PageWriter writer = run.store.newWriter())
            {
                final long a = writer.allocate(3);
                run.checkpoint(List.of(writer.write(a, page(a + 300)), writer.write(a + 2, page(a + 302))),
                    Map.of(a, a + 300, a + 2, a + 302), List.of(first + 509, first + 519));
            }
            return run.images.images();
        }
    }

    private long growingWorkload(final long seed, final int perPoint) throws IOException
    {
        final Random random = new Random(seed);
        final StoreOptions options = StoreOptions.defaults().withExtentPages(8).withMaxPages(4_000)
            .withGrowthPages(300);
        try (Run run = new Run("growing-" + seed, 40, options, seed, perPoint))
        {
            run.images.expectPageCounts(run.store.pageCount(), -1);
            try (PageWriter writer = run.store.newWriter())
            {
                for (int checkpoint = 0; checkpoint < 14; checkpoint++)
                {
                    final Map<Long, Long> added = new HashMap<>();
                    final List<PageReceipt> receipts = new ArrayList<>();
                    // Enough pages that most checkpoints grow the store first.
                    final long first = writer.allocate(60 + random.nextInt(200));
                    // A growth ahead runs on the store's own thread: its crash points come before the writes below
                    // (the recorder and the images are single-threaded), and the size the checkpoint records is known.
                    run.store.awaitGrowthAhead();
                    for (long pageId = first; receipts.size() < 3 + random.nextInt(4); pageId += 7)
                    {
                        final long contentSeed = seed * 1_000_000 + checkpoint * 1_000 + receipts.size();
                        receipts.add(writer.write(pageId, page(contentSeed)));
                        added.put(pageId, contentSeed);
                    }
                    if (0 == checkpoint % 4)
                    {
                        // A growth no checkpoint records before the crash points of the next flushes.
                        run.store.grow(Math.min(4_000, run.store.pageCount() + 300));
                    }
                    final List<Long> live = new ArrayList<>(run.acked.pages().keySet());
                    live.sort(null);
                    final List<Long> frees = live.isEmpty() ? List.of() :
                        List.of(live.get(random.nextInt(live.size())));
                    run.images.expectPageCounts(run.images.ackedPageCount(), run.store.pageCount());
                    run.checkpoint(receipts, added, frees);
                }
            }
            return run.images.images();
        }
    }

    /**
     * Two writers and random checkpoints; with {@code discarding}, the writers' transactions also abort now and then:
     * pages allocated and discarded unwritten, pages written and discarded (often allocated and written again at
     * once, being the lowest free), beside pages checkpointed. The discarded writes reached the page cache and some
     * the images, but nothing durable names them.
     */
    private long randomSmallWorkload(final long seed, final int perPoint, final boolean discarding) throws IOException
    {
        final Random random = new Random(seed);
        try (Run run = new Run((discarding ? "discard-" : "small-") + seed, 40, 4, seed, perPoint))
        {
            final PageWriter[] writers = {run.store.newWriter(), run.store.newWriter()};
            for (int checkpoint = 0; checkpoint < 10; checkpoint++)
            {
                final Map<Long, Long> added = new HashMap<>();
                final List<PageReceipt> receipts = new ArrayList<>();
                final int writes = random.nextInt(discarding ? 8 : 6);
                for (int i = 0; i < writes && run.store.stats().freePages() > 8; i++)
                {
                    final PageWriter writer = writers[random.nextInt(writers.length)];
                    final long pageId = writer.allocate();
                    if (discarding && 0 == random.nextInt(4))
                    {
                        writer.discard(pageId);
                        continue;
                    }
                    final long contentSeed = seed * 1_000_000 + checkpoint * 100 + i;
                    final PageReceipt receipt = writer.write(pageId, page(contentSeed));
                    if (discarding && 0 == random.nextInt(3))
                    {
                        writer.discard(receipt);
                        continue;
                    }
                    receipts.add(receipt);
                    added.put(pageId, contentSeed);
                }
                final List<Long> live = new ArrayList<>(run.acked.pages().keySet());
                live.sort(null);
                final Set<Long> frees = new HashSet<>();
                final int freeCount = Math.min(live.size(), random.nextInt(4));
                while (frees.size() < freeCount)
                {
                    frees.add(live.get(random.nextInt(live.size())));
                }
                if (random.nextBoolean())
                {
                    run.setRoot(random.nextInt(PageStore.ROOT_SLOTS), random.nextLong());
                }
                run.checkpoint(receipts, added, new ArrayList<>(frees));
            }
            for (final PageWriter writer : writers)
            {
                writer.close();
            }
            return run.images.images();
        }
    }

    private record Written(PageReceipt receipt, long seed)
    {
    }

    private void concurrentWorkload(final long targetImages, final int perPoint, final long seed) throws Exception
    {
        final Random random = new Random(seed);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong seeds = new AtomicLong(seed << 32);
        final ConcurrentLinkedQueue<Written> queue = new ConcurrentLinkedQueue<>();
        final List<Throwable> errors = new ArrayList<>();
        final long[] imagesChecked = new long[1];
        try (Run run = new Run("concurrent", 1100, 16, seed, 0))
        {
            final List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++)
            {
                threads.add(Thread.ofPlatform().start(() -> write(run.store, queue, seeds, stop, errors)));
            }
            try
            {
                long checkpoints = 0;
                while (run.images.images() < targetImages && errors.isEmpty())
                {
                    // A crash point at about one flush boundary in four.
                    run.perPoint = 0 == random.nextInt(4) ? perPoint : 0;
                    final Map<Long, Long> added = new HashMap<>();
                    final List<PageReceipt> receipts = new ArrayList<>();
                    Written written;
                    while (null != (written = queue.poll()))
                    {
                        receipts.add(written.receipt());
                        added.put(written.receipt().pageId(), written.seed());
                    }
                    final List<Long> live = new ArrayList<>(run.acked.pages().keySet());
                    live.sort(null);
                    final Set<Long> frees = new HashSet<>();
                    // Nothing to free until a checkpoint has made pages live.
                    final int freeCount = live.isEmpty() ? 0 : live.size() < 300 ? Math.min(live.size(),
                        random.nextInt(3)) : 40;
                    while (frees.size() < freeCount)
                    {
                        frees.add(live.get(random.nextInt(live.size())));
                    }
                    run.setRoot(random.nextInt(PageStore.ROOT_SLOTS), checkpoints);
                    run.checkpoint(receipts, added, new ArrayList<>(frees));
                    checkpoints++;
                }
                imagesChecked[0] = run.images.images();
            }
            finally
            {
                stop.set(true);
                for (final Thread thread : threads)
                {
                    thread.join();
                }
            }
        }
        if (!errors.isEmpty())
        {
            throw new AssertionError("a writer failed", errors.getFirst());
        }
        System.out.println("power loss, concurrent workload: images=" + imagesChecked[0]);
    }

    /**
     * 8 writers, each committing its own one or two pages itself (group commit), freeing one of its older pages now
     * and then; one sets a root now and then. At each flush the oracle takes the group's content from the store
     * (pages with the seeds their writers registered, frees, roots) as the checkpoint in flight, and once the flush
     * of its superblock completes, as the acknowledged one.
     */
    private void groupCommitWorkload(final long targetImages, final int perPoint, final long seed) throws Exception
    {
        final Random random = new Random(seed);
        final java.util.concurrent.ConcurrentHashMap<Long, Long> seedOf =
            new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.concurrent.ConcurrentHashMap<Long, Long> sequenceOf =
            new java.util.concurrent.ConcurrentHashMap<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong seeds = new AtomicLong(seed << 32);
        final List<Throwable> errors = new ArrayList<>();
        final AtomicLong calls = new AtomicLong();
        final long images;
        try (Run run = new Run("group", 1100, 4, seed, 0))
        {
            run.recorder.onCrashPoint((file, where) ->
            {
                final io.rangedmmap.store.internal.CheckpointCoordinator.InFlight group =
                    run.store.checkpointInFlight();
                if (null == group)
                {
                    return;
                }
                if (null == run.inFlight || run.inFlight.sequence() != group.sequence())
                {
                    final Map<Long, Long> added = new HashMap<>();
                    for (final long page : group.pages())
                    {
                        added.put(page, seedOf.get(page));
                        sequenceOf.put(page, group.sequence());
                    }
                    final List<Long> frees = new ArrayList<>();
                    for (final long page : group.frees())
                    {
                        frees.add(page);
                    }
                    run.inFlight = run.acked.next(added, frees, group.roots());
                }
                // A crash point at about one flush in four.
                run.perPoint = 0 == random.nextInt(4) ? perPoint : 0;
                run.crash(where);
            });
            run.recorder.afterFlush((file, range) ->
            {
                // The flush that covers the superblock makes the checkpoint in flight durable: once the superblock is
                // its own (the first checkpoint's first flush, of that slot too, only clears the clean close's mark).
                final long slotOffset = (run.inFlight == null ? 0 : run.inFlight.sequence() & 1) * PageStore.PAGE_SIZE;
                final byte[] sequence = new byte[Long.BYTES];
                file.readAt(slotOffset + SuperblockDescriptor.SEQUENCE_OFFSET, sequence);
                if (null != run.inFlight && range.startsWith("[" + slotOffset + ",") && run.inFlight.sequence() ==
                    java.nio.ByteBuffer.wrap(sequence).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong())
                {
                    run.acked = run.inFlight;
                    run.inFlight = null;
                }
            });
            final List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++)
            {
                final int index = w;
                threads.add(Thread.ofPlatform().start(() ->
                {
                    final Random mine = new Random(seed * 31 + index);
                    final List<Long> committed = new ArrayList<>();
                    try (PageWriter writer = run.store.newWriter())
                    {
                        while (!stop.get())
                        {
                            final List<PageReceipt> receipts = new ArrayList<>();
                            try
                            {
                                for (int k = 0; k < 1 + mine.nextInt(2); k++)
                                {
                                    final long pageId = writer.allocate();
                                    final long pageSeed = seeds.incrementAndGet();
                                    seedOf.put(pageId, pageSeed);
                                    receipts.add(writer.write(pageId, page(pageSeed)));
                                }
                            }
                            catch (final StoreFullException full)
                            {
                                // commit what was written; frees below make room
                            }
                            if (committed.size() > 4 && mine.nextBoolean())
                            {
                                run.store.free(committed.remove(mine.nextInt(committed.size())));
                            }
                            if (0 == index && mine.nextInt(4) == 0)
                            {
                                run.store.setRoot(mine.nextInt(PageStore.ROOT_SLOTS), mine.nextLong());
                            }
                            final Checkpoint told = run.store.checkpoint(receipts);
                            calls.incrementAndGet();
                            for (final PageReceipt receipt : receipts)
                            {
                                final Long sequence = sequenceOf.get(receipt.pageId());
                                if (null == sequence || sequence != told.sequence())
                                {
                                    throw new AssertionError("page " + receipt.pageId() + " was in checkpoint " +
                                        sequence + " but its caller was told " + told.sequence());
                                }
                                committed.add(receipt.pageId());
                            }
                        }
                    }
                    catch (final Throwable ex)
                    {
                        synchronized (errors)
                        {
                            errors.add(ex);
                        }
                    }
                }));
            }
            try
            {
                while (run.images.images() < targetImages && errors.isEmpty())
                {
                    Thread.sleep(20);
                }
            }
            finally
            {
                stop.set(true);
                for (final Thread thread : threads)
                {
                    thread.join();
                }
            }
            images = run.images.images();
        }
        if (!errors.isEmpty())
        {
            throw new AssertionError("a committing writer failed", errors.getFirst());
        }
        System.out.println("power loss, group commit of " + WRITERS + " writers: images=" + images + " calls=" +
            calls.get());
    }

    private static void write(final PageStore store, final ConcurrentLinkedQueue<Written> queue,
        final AtomicLong seeds, final AtomicBoolean stop, final List<Throwable> errors)
    {
        try (PageWriter writer = store.newWriter())
        {
            while (!stop.get())
            {
                if (queue.size() > 64)
                {
                    Thread.onSpinWait();
                    Thread.yield();
                    continue;
                }
                final long pageId;
                try
                {
                    pageId = writer.allocate();
                }
                catch (final StoreFullException ex)
                {
                    Thread.sleep(1);
                    continue;
                }
                final long seed = seeds.incrementAndGet();
                queue.add(new Written(writer.write(pageId, page(seed)), seed));
            }
        }
        catch (final Throwable ex)
        {
            synchronized (errors)
            {
                errors.add(ex);
            }
        }
    }
}

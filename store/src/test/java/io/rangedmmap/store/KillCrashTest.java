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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code kill -9} (matrix row 2): a child JVM ({@link KillChild}) runs 8 writers and a checkpointing thread on one
 * store and logs each checkpoint before it starts and once it returned, forcing the log; it is killed at a random
 * time during writes, or while it sleeps inside a checkpoint: before the metadata writes ("between"), with the
 * metadata and superblock written but nothing flushed ("metadata", "superblock"), or after the one flush of data
 * pages, metadata and superblock, before the return ("data"). After each kill the store reopens at the last
 * acknowledged checkpoint or the one logged as started after it, exactly; no acknowledged checkpoint is ever lost.
 * In the "discard" rounds the writers abort some of their pages ({@link PageWriter#discard(PageReceipt)} and
 * {@link PageWriter#discard(long)}) and the kill lands at a random time: the discarded pages are free after the
 * reopen and nothing checkpointed is lost. In the "close" rounds the child closes the store cleanly and is killed
 * before one of the close's writes or flushes (while it makes the metadata copies equal, or marks the superblock
 * clean), or after the close: the store reopens at the last acknowledged checkpoint. The same store goes through every
 * round, so each round also recovers from the previous crash; the parent's own checks end with a clean close, so
 * every child opens a cleanly closed store (or one the parent's open found crashed), and clears the mark in its first
 * checkpoint, where the "between", "metadata" and "superblock" kills of a first checkpoint land.
 *
 * <p>Group commit: in other rounds the child's 8 writers each commit their own pages concurrently, logging each call
 * and the checkpoint it was told; after the kill every acknowledged call's pages are live, byte for byte, in a store
 * at or after the checkpoint each was told, every unacknowledged call's pages are all live or all free, and nothing
 * else is live.
 *
 * <p>CI runs 200 kills and 40 group-commit kills; the soak scale runs 10,000 and 2,000: {@code mvn -B -o -pl store test
 * -Dsurefire.excludedGroups=none -Dgroups=soak -Dtest=KillCrashTest}.
 */
@Tag("crash")
class KillCrashTest
{
    private static final long PAGES = 512;
    private static final String[] PHASES = {"write", "data", "between", "metadata", "superblock", "discard", "close"};

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void shouldLoseNoAcknowledgedCheckpointAcross200Kills() throws Exception
    {
        killRounds(200, 1);
    }

    @Test
    @Tag("soak")
    void shouldLoseNoAcknowledgedCheckpointAcross10000Kills() throws Exception
    {
        killRounds(10_000, 2);
    }

    @Test
    @Timeout(600)
    void shouldLoseNoAcknowledgedGroupCommitAcross40Kills() throws Exception
    {
        groupKillRounds(40, 3);
    }

    @Test
    @Tag("soak")
    void shouldLoseNoAcknowledgedGroupCommitAcross2000Kills() throws Exception
    {
        groupKillRounds(2_000, 4);
    }

    /**
     * Group commits into a store that grows all the while (from 64 pages, by 96 at a time): the store opens at the
     * size of the checkpoint it opens at, never below the size any acknowledged call saw before it was made.
     */
    @Test
    @Timeout(600)
    void shouldLoseNoAcknowledgedGroupCommitOrSizeAcross40KillsDuringGrowth() throws Exception
    {
        groupKillRounds(40, 5, GROWTH_STEP);
    }

    private static final long GROWTH_START = 64;
    private static final long GROWTH_STEP = 96;
    private static final long GROWTH_MAX = 1 << 16;

    private void groupKillRounds(final int rounds, final long seed) throws Exception
    {
        groupKillRounds(rounds, seed, 0);
    }

    private void groupKillRounds(final int rounds, final long seed, final long growthStep) throws Exception
    {
        final Random random = new Random(seed);
        final boolean growing = 0 != growthStep;
        final long pageCount = growing ? GROWTH_START : 2048;
        final Path file = dir.resolve("group-killed.store").toAbsolutePath();
        PageStore.create(file, pageCount, growing ? StoreOptions.defaults().withMaxPages(GROWTH_MAX) :
            StoreOptions.defaults()).close();
        long sizeSeen = pageCount;
        Map<Long, Long> live = new HashMap<>();
        long sequence = 0;
        long inFlightLive = 0;
        long acknowledged = 0;
        for (int round = 0; round < rounds; round++)
        {
            final Path log = dir.resolve("group-round-" + round + ".log");
            final ChildJvm child = growing ?
                ChildJvm.start(KillChild.class, file.toString(), log.toString(), "group",
                    Long.toString(seed * 1_000_000 + round), Long.toString(pageCount), Long.toString(growthStep)) :
                ChildJvm.start(KillChild.class, file.toString(), log.toString(), "group",
                    Long.toString(seed * 1_000_000 + round), Long.toString(pageCount));
            try
            {
                child.awaitLine("READY");
                // Kill only after some calls were acknowledged: a kill before the first acknowledgement (the child
                // JVM is slow to warm up on a loaded machine) would check nothing.
                awaitLogLines(log, "A ", 1 + random.nextInt(4));
                Thread.sleep(random.nextInt(20));
            }
            finally
            {
                child.kill9();
            }
            final String context = "group round " + round + " (seed " + seed + ")";
            final String text = Files.exists(log) ? Files.readString(log, StandardCharsets.US_ASCII) : "";
            final Map<Integer, Map<Long, Long>> calling = new HashMap<>();
            final List<Map<Long, Long>> acked = new ArrayList<>();
            final List<Map<Long, Long>> unacked = new ArrayList<>();
            long maxTold = sequence;
            for (final String line : text.substring(0, text.lastIndexOf('\n') + 1).lines().toList())
            {
                final String[] fields = line.split(" ");
                final int thread = Integer.parseInt(fields[1]);
                if ("W".equals(fields[0]))
                {
                    final Map<Long, Long> pages = new HashMap<>();
                    for (final String pair : fields[2].split(","))
                    {
                        final String[] parts = pair.split(":");
                        pages.put(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
                    }
                    if (null != calling.put(thread, pages))
                    {
                        fail(context + ": thread " + thread + " called again before its call returned");
                    }
                }
                else
                {
                    final long told = Long.parseLong(fields[2]);
                    assertTrue(told > sequence, context + ": told checkpoint " + told + " at or below " + sequence);
                    maxTold = Math.max(maxTold, told);
                    acked.add(calling.remove(thread));
                    if (fields.length > 3)
                    {
                        sizeSeen = Math.max(sizeSeen, Long.parseLong(fields[3]));
                    }
                }
            }
            unacked.addAll(calling.values());
            try (PageStore store = PageStore.open(file))
            {
                final long opened = store.lastCheckpoint();
                assertTrue(opened >= maxTold, context + ": opened at " + opened + " but a caller was told " + maxTold);
                final Map<Long, Long> expected = new HashMap<>(live);
                for (final Map<Long, Long> call : acked)
                {
                    expected.putAll(call);
                }
                for (final Map<Long, Long> call : unacked)
                {
                    // All of a call's pages or none: a checkpoint is atomic and holds whole calls.
                    final long present = call.keySet().stream().filter(page -> isReadable(store, page)).count();
                    assertTrue(0 == present || call.size() == present, context + ": call " + call + " is torn");
                    if (0 != present)
                    {
                        expected.putAll(call);
                        inFlightLive++;
                    }
                }
                acknowledged += acked.size();
                if (growing)
                {
                    // A size the store had (the first one plus whole steps), and not below one an acknowledged
                    // call saw before its checkpoint began.
                    final long size = store.pageCount();
                    assertTrue(size >= sizeSeen && 0 == (size - GROWTH_START) % growthStep, context + ": opened at " +
                        "pageCount=" + size + ", an acknowledged call saw " + sizeSeen + " (steps of " +
                        growthStep + " from " + GROWTH_START + ")");
                    assertTrue(store.verify().isClean(), context + ": " + store.verify());
                    sizeSeen = size;
                }
                StoreOracle.assertHolds(store, new Snapshot(opened, expected, rootsOf(store)), null, context);
                live = expected;
                sequence = opened;
                if (live.size() > (growing ? GROWTH_MAX / 2 : pageCount / 2))
                {
                    for (final long page : live.keySet())
                    {
                        store.free(page);
                    }
                    sequence = store.checkpoint(List.of()).sequence();
                    live = new HashMap<>();
                }
            }
            Files.delete(log);
        }
        System.out.println("kill -9 with group commit" + (growing ? " during growth" : "") + ": rounds=" + rounds +
            " acknowledged calls=" + acknowledged + " unacknowledged calls found whole=" + inFlightLive +
            (growing ? " pageCount=" + sizeSeen : ""));
        assertTrue(acknowledged >= rounds, "only " + acknowledged + " acknowledged calls in " + rounds + " rounds");
    }

    /**
     * Waits until a child's log holds {@code count} complete lines starting with {@code prefix}.
     */
    private static void awaitLogLines(final Path log, final String prefix, final int count) throws Exception
    {
        final long deadline = System.nanoTime() + 60_000_000_000L;
        while (true)
        {
            if (Files.exists(log))
            {
                final String text = Files.readString(log, StandardCharsets.US_ASCII);
                final long found = text.substring(0, text.lastIndexOf('\n') + 1).lines()
                    .filter(line -> line.startsWith(prefix)).count();
                if (found >= count)
                {
                    return;
                }
            }
            if (System.nanoTime() > deadline)
            {
                fail("the child logged fewer than " + count + " lines starting with '" + prefix + "' in 60 s");
            }
            Thread.sleep(2);
        }
    }

    private static boolean isReadable(final PageStore store, final long page)
    {
        try
        {
            store.read(page, new byte[PageStore.PAGE_SIZE]);
            return true;
        }
        catch (final IllegalStateException | IndexOutOfBoundsException free)
        {
            // Free, or past the size the store opened at (a growth its checkpoint did not record).
            return false;
        }
    }

    private static long[] rootsOf(final PageStore store)
    {
        final long[] roots = new long[PageStore.ROOT_SLOTS];
        for (int slot = 0; slot < roots.length; slot++)
        {
            roots[slot] = store.root(slot);
        }
        return roots;
    }

    private void killRounds(final int rounds, final long seed) throws Exception
    {
        final Random random = new Random(seed);
        final Path file = dir.resolve("killed.store").toAbsolutePath();
        PageStore.create(file, PAGES).close();
        Snapshot state = Snapshot.empty();
        final Map<String, Integer> outcomes = new TreeMap<>();
        long writeRounds = 0;
        for (int round = 0; round < rounds; round++)
        {
            final String phase = PHASES[round % PHASES.length];
            final Path log = dir.resolve("round-" + round + ".log");
            final ChildJvm child = ChildJvm.start(KillChild.class, file.toString(), log.toString(), phase,
                Long.toString(seed * 1_000_000 + round), Long.toString(PAGES));
            try
            {
                child.awaitLine("READY");
                if ("write".equals(phase) || "discard".equals(phase))
                {
                    // As in the group rounds: a kill before the first acknowledged checkpoint would check nothing.
                    awaitLogLines(log, "A ", 1);
                    Thread.sleep(random.nextInt(50));
                    writeRounds++;
                }
                else
                {
                    child.awaitLine("PHASE");
                    Thread.sleep(random.nextInt(3));
                }
            }
            finally
            {
                child.kill9();
            }
            final String context = "round " + round + " (seed " + seed + ", killed in phase " + phase + ")";
            state = checkAfterKill(file, log, state, context, outcomes);
            Files.delete(log);
        }
        System.out.println("kill -9: rounds=" + rounds + " outcomes=" + outcomes + " last checkpoint=" +
            state.sequence());
        // Every "write" round saw a checkpoint acknowledged before its kill, so the store moved on at least that far.
        assertTrue(state.sequence() >= writeRounds, "the store reached checkpoint " + state.sequence() + " after " +
            writeRounds + " rounds that each acknowledged one");
    }

    private static Snapshot checkAfterKill(final Path file, final Path log, final Snapshot start, final String context,
        final Map<String, Integer> outcomes) throws IOException
    {
        Snapshot acked = start;
        Snapshot started = null;
        final String text = Files.exists(log) ? Files.readString(log, StandardCharsets.US_ASCII) : "";
        // A line the kill cut short has no newline, and is ignored.
        final String complete = text.substring(0, text.lastIndexOf('\n') + 1);
        for (final String line : complete.lines().toList())
        {
            final String[] fields = line.split(" ");
            if ("B".equals(fields[0]))
            {
                started = begin(acked, fields, context);
            }
            else if (null != started && Long.parseLong(fields[1]) == started.sequence())
            {
                acked = started;
                started = null;
            }
            else
            {
                fail(context + ": log line out of order: " + line);
            }
        }
        try (PageStore store = PageStore.open(file))
        {
            final long sequence = store.lastCheckpoint();
            final Snapshot expected;
            if (sequence == acked.sequence())
            {
                expected = acked;
                outcomes.merge("opened at the last acknowledged", 1, Integer::sum);
            }
            else if (null != started && sequence == started.sequence())
            {
                expected = started;
                outcomes.merge("opened at the one in flight", 1, Integer::sum);
            }
            else
            {
                throw new AssertionError(context + ": opened at checkpoint " + sequence + " but the last " +
                    "acknowledged is " + acked.sequence() + (null == started ? "" : " and the one in flight " +
                    started.sequence()));
            }
            StoreOracle.assertHolds(store, expected, null, context);
            return expected;
        }
    }

    private static Snapshot begin(final Snapshot acked, final String[] fields, final String context)
    {
        assertEquals(acked.sequence() + 1, Long.parseLong(fields[1]), context + ": sequence of a started checkpoint");
        final String[] root = fields[2].split(":");
        final long[] roots = acked.roots().clone();
        roots[Integer.parseInt(root[0])] = Long.parseLong(root[1]);
        final Map<Long, Long> added = new HashMap<>();
        for (final String add : fields[3].split(","))
        {
            if (!"-".equals(add))
            {
                final String[] pair = add.split(":");
                added.put(Long.parseLong(pair[0]), Long.parseLong(pair[1]));
            }
        }
        final List<Long> frees = new ArrayList<>();
        for (final String free : fields[4].split(","))
        {
            if (!"-".equals(free))
            {
                frees.add(Long.parseLong(free));
            }
        }
        return acked.next(added, frees, roots);
    }
}

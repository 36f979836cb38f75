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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshot isolation under load: 8 writers write, free and checkpoint in a small store (so freed pages are reused
 * within a few checkpoints) while 4 readers each hold a snapshot over many checkpoints and check every page against
 * the history of their snapshot's checkpoint, and a backup is taken in the middle of it; 100 rounds, the store
 * reopened between rounds (so pages live before the open are covered too). Then the same with snapshots opened and
 * closed briefly, alone or together, so that the page lifetimes snapshots read are created and dropped again and again
 * racing checkpoints, frees, reuse and reads, and incremental backups taken while writers write.
 */
class StoreSnapshotConcurrencyTest
{
    private static final int WRITERS = 8;
    private static final int READERS = 4;
    private static final int ROUNDS = 100;
    private static final int STEPS_PER_WRITER = 8;
    private static final int PAGES = 256;
    private static final int KEEP = 6;

    @TempDir
    Path dir;

    @Test
    void shouldReadEveryPageOfTheSnapshotsCheckpointWhileFreedPagesAreReused() throws Exception
    {
        final Path file = dir.resolve("snapshots.store");
        PageStore.create(file, PAGES, StoreOptions.defaults().withExtentPages(1)).close();
        final SnapshotHistory history = new SnapshotHistory(0);
        final List<List<Long>> mine = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++)
        {
            mine.add(new ArrayList<>());
        }
        final AtomicLong reused = new AtomicLong();
        final AtomicLong checkedPages = new AtomicLong();
        final ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS + 1);
        try
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                try (PageStore store = PageStore.open(file, StoreOptions.defaults().withExtentPages(1)))
                {
                    runRound(store, pool, round, history, mine, checkedPages, reused);
                    final StoreStats stats = store.stats();
                    assertEquals(0, stats.openSnapshots(), stats.toString());
                    assertEquals(-1, stats.oldestPinnedSequence(), stats.toString());
                    assertEquals(0, stats.freedPagesWaiting(), stats.toString());
                    if (round % 10 == 9)
                    {
                        final Path backup = dir.resolve("backup-" + round + ".store");
                        final long sequence = store.backup(backup).sequence();
                        try (PageStore copy = PageStore.open(backup))
                        {
                            history.checkStore(copy, sequence);
                        }
                    }
                }
            }
        }
        finally
        {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertTrue(checkedPages.get() > ROUNDS * READERS, "pages checked: " + checkedPages.get());
        assertTrue(reused.get() > 0, "no snapshot held a page of its checkpoint that was freed meanwhile");
        assertTrue(history.generations() > 4L * PAGES, "page ids were not reused: " + history.generations() +
            " generations in " + PAGES + " pages");
    }

    @Test
    void shouldReadEveryPageOfBriefSnapshotsWhileTheirLifetimesAreCreatedAndDropped() throws Exception
    {
        final Path file = dir.resolve("brief.store");
        PageStore.create(file, PAGES, StoreOptions.defaults().withExtentPages(1)).close();
        final SnapshotHistory history = new SnapshotHistory(0);
        final List<List<Long>> mine = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++)
        {
            mine.add(new ArrayList<>());
        }
        final AtomicLong checkedPages = new AtomicLong();
        final Set<Object> lifetimes = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        final Path backup = dir.resolve("brief-backup.store");
        final ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS + 1);
        try
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                try (PageStore store = PageStore.open(file, StoreOptions.defaults().withExtentPages(1)))
                {
                    final long sequence = runBriefRound(store, pool, round, history, mine, checkedPages, lifetimes,
                        backup);
                    assertNull(store.lifetimes(), "the last snapshot to close drops the page lifetimes");
                    assertEquals(0, store.stats().openSnapshots());
                    assertEquals(0, store.stats().freedPagesWaiting());
                    try (PageStore copy = PageStore.open(backup))
                    {
                        history.checkStore(copy, sequence);
                    }
                }
            }
        }
        finally
        {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertTrue(checkedPages.get() > ROUNDS * READERS, "pages checked: " + checkedPages.get());
        assertTrue(lifetimes.size() > ROUNDS, "page lifetimes created: " + lifetimes.size());
        assertTrue(history.generations() > 4L * PAGES, "page ids were not reused: " + history.generations() +
            " generations in " + PAGES + " pages");
    }

    /**
     * {@return the checkpoint the backup taken during the round holds}
     */
    private long runBriefRound(final PageStore store, final ExecutorService pool, final int round,
        final SnapshotHistory history, final List<List<Long>> mine, final AtomicLong checkedPages,
        final Set<Object> lifetimes, final Path backup) throws Exception
    {
        final AtomicBoolean writing = new AtomicBoolean(true);
        final List<Future<?>> writers = startWriters(store, pool, round, history, mine);
        final List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++)
        {
            final Random random = new Random(-round * 1000L - r);
            readers.add(pool.submit(() ->
            {
                final byte[] buffer = new byte[PageStore.PAGE_SIZE];
                do
                {
                    try (StoreSnapshot snapshot = store.snapshot())
                    {
                        lifetimes.add(snapshot.lifetimes());
                        history.awaitRecorded(snapshot.sequence());
                        for (int i = 0; i < 8; i++)
                        {
                            final long pageId = random.nextInt(PAGES);
                            history.checkPage(snapshot, pageId, buffer);
                            assertEquals(null != history.seedAt(pageId, snapshot.sequence()),
                                snapshot.isLive(pageId), "page=" + pageId + " at " + snapshot.sequence());
                            checkedPages.incrementAndGet();
                        }
                    }
                    // Mostly no snapshot open between two: the lifetimes are dropped and created again.
                    if (random.nextBoolean())
                    {
                        Thread.sleep(random.nextInt(2));
                    }
                }
                while (writing.get());
                return null;
            }));
        }
        // A hot backup (full in the first round, then incremental) while the writers write.
        final long sequence = 0 == round ? store.backup(backup).sequence() : store.backupTo(backup).sequence();
        for (final Future<?> writer : writers)
        {
            writer.get(120, TimeUnit.SECONDS);
        }
        writing.set(false);
        for (final Future<?> reader : readers)
        {
            reader.get(120, TimeUnit.SECONDS);
        }
        return sequence;
    }

    private static List<Future<?>> startWriters(final PageStore store, final ExecutorService pool, final int round,
        final SnapshotHistory history, final List<List<Long>> mine)
    {
        final List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++)
        {
            final int slot = w;
            final Random random = new Random(round * 1000L + w);
            writers.add(pool.submit(() ->
            {
                try (PageWriter writer = store.newWriter())
                {
                    int steps = 0;
                    while (steps < STEPS_PER_WRITER)
                    {
                        if (history.step(store, writer, slot, mine.get(slot), random, KEEP))
                        {
                            steps++;
                        }
                        else
                        {
                            Thread.yield();
                        }
                    }
                }
                return null;
            }));
        }
        return writers;
    }

    private void runRound(final PageStore store, final ExecutorService pool, final int round,
        final SnapshotHistory history, final List<List<Long>> mine, final AtomicLong checkedPages,
        final AtomicLong reused) throws Exception
    {
        final AtomicBoolean writing = new AtomicBoolean(true);
        final List<Future<?>> writers = startWriters(store, pool, round, history, mine);
        final List<Future<?>> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++)
        {
            final Random random = new Random(-round * 1000L - r);
            readers.add(pool.submit(() ->
            {
                final byte[] buffer = new byte[PageStore.PAGE_SIZE];
                do
                {
                    try (StoreSnapshot snapshot = store.snapshot())
                    {
                        history.awaitRecorded(snapshot.sequence());
                        final long[] roots = history.rootsAt(snapshot.sequence());
                        final long opened = store.lastCheckpoint();
                        // Held over several checkpoints: every pass reads every page of the store.
                        for (int pass = 0; pass < 2; pass++)
                        {
                            for (long pageId = 0; pageId < PAGES; pageId++)
                            {
                                history.checkPage(snapshot, pageId, buffer);
                                checkedPages.incrementAndGet();
                            }
                            for (int slot = 0; slot < PageStore.ROOT_SLOTS; slot++)
                            {
                                assertEquals(roots[slot], snapshot.root(slot), "slot=" + slot);
                            }
                            Thread.sleep(random.nextInt(3));
                        }
                        countReuse(store, snapshot, history, reused, opened);
                    }
                }
                while (writing.get());
                return null;
            }));
        }
        for (final Future<?> writer : writers)
        {
            writer.get(120, TimeUnit.SECONDS);
        }
        writing.set(false);
        for (final Future<?> reader : readers)
        {
            reader.get(120, TimeUnit.SECONDS);
        }
    }

    /**
     * Counts the pages of the snapshot's checkpoint freed by a later one while the snapshot was held (and read
     * again since): the pages whose reuse it held back.
     */
    private static void countReuse(final PageStore store, final StoreSnapshot snapshot, final SnapshotHistory history,
        final AtomicLong reused, final long opened)
    {
        final long now = store.lastCheckpoint();
        if (now <= opened)
        {
            return;
        }
        for (long pageId = 0; pageId < PAGES; pageId++)
        {
            final Long then = history.seedAt(pageId, snapshot.sequence());
            final Long later = history.seedAt(pageId, now);
            if (null != then && !then.equals(later))
            {
                reused.incrementAndGet();
            }
        }
    }
}

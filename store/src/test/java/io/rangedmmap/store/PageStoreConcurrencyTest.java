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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageStoreConcurrencyTest
{
    private static final int WRITERS = 8;
    private static final int ROUNDS = 30;
    private static final int OPS_PER_WRITER = 50;
    private static final int PAGES = 8192;

    @TempDir
    Path dir;

    private record Written(PageReceipt receipt, long seed)
    {
    }

    @Test
    void shouldKeepExactlyTheCompletedCheckpointsAcrossReopens() throws Exception
    {
        final Path file = dir.resolve("concurrent.store");
        PageStore.create(file, PAGES, StoreOptions.defaults().withExtentPages(16)).close();
        final Map<Long, Long> model = new HashMap<>();
        final long[] roots = new long[PageStore.ROOT_SLOTS];
        long checkpoints = 0;
        final ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
        try
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                try (PageStore store = PageStore.open(file))
                {
                    checkAgainstModel(store, model, roots, checkpoints);
                    checkpoints = runRound(store, pool, round, model, roots);
                }
            }
            try (PageStore store = PageStore.open(file))
            {
                checkAgainstModel(store, model, roots, checkpoints);
            }
        }
        finally
        {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    private static void checkAgainstModel(
        final PageStore store, final Map<Long, Long> model, final long[] roots, final long checkpoints)
    {
        assertEquals(checkpoints, store.lastCheckpoint());
        assertEquals(new StoreStats(PAGES, model.size(), PAGES - model.size(), 0, checkpoints, 0), store.stats());
        final byte[] page = new byte[PageStore.PAGE_SIZE];
        for (long pageId = 0; pageId < PAGES; pageId++)
        {
            final Long seed = model.get(pageId);
            if (null == seed)
            {
                final long id = pageId;
                assertThrowsExactly(IllegalStateException.class, () -> store.read(id, page));
            }
            else
            {
                store.read(pageId, page);
                assertArrayEquals(page(seed), page, "page=" + pageId);
            }
        }
        for (int slot = 0; slot < PageStore.ROOT_SLOTS; slot++)
        {
            assertEquals(roots[slot], store.root(slot), "slot=" + slot);
        }
        final VerifyReport report = store.verify();
        assertTrue(report.isClean(), report.toString());
        assertEquals(model.size(), report.pagesChecked());
    }

    private static long runRound(final PageStore store, final ExecutorService pool, final int round,
        final Map<Long, Long> model, final long[] roots) throws Exception
    {
        final ConcurrentLinkedQueue<Written> pending = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> freeable = new ConcurrentLinkedQueue<>(model.keySet());
        final Map<Long, Boolean> freed = new ConcurrentHashMap<>();
        final AtomicLong seeds = new AtomicLong(round * 1_000_000L);
        final AtomicBoolean writing = new AtomicBoolean(true);
        final CountDownLatch start = new CountDownLatch(1);
        final List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++)
        {
            final Random random = new Random(round * 31L + w);
            writers.add(pool.submit(() ->
            {
                start.await();
                write(store, random, seeds, pending, freeable, freed);
                return null;
            }));
        }
        final Map<Long, Long> committed = new HashMap<>();
        final Future<?> checkpointer = pool.submit(() ->
        {
            start.await();
            final Random random = new Random(round);
            long count = 0;
            while (writing.get() || !pending.isEmpty())
            {
                final List<PageReceipt> receipts = new ArrayList<>();
                final List<Written> batch = new ArrayList<>();
                for (Written written = pending.poll(); null != written; written = pending.poll())
                {
                    // Some writes are never checkpointed: they must be free after the reopen.
                    if (random.nextInt(10) > 0)
                    {
                        receipts.add(written.receipt());
                        batch.add(written);
                    }
                }
                final int slot = random.nextInt(PageStore.ROOT_SLOTS);
                final long value = random.nextLong();
                store.setRoot(slot, value);
                store.checkpoint(receipts);
                roots[slot] = value;
                count++;
                for (final Written written : batch)
                {
                    // A page freed earlier in the round was reused: its free is durable and it is live again.
                    freed.remove(written.receipt().pageId());
                    committed.put(written.receipt().pageId(), written.seed());
                    freeable.add(written.receipt().pageId());
                }
                Thread.sleep(random.nextInt(3));
            }
            return count;
        });
        start.countDown();
        for (final Future<?> writer : writers)
        {
            writer.get(60, TimeUnit.SECONDS);
        }
        writing.set(false);
        checkpointer.get(60, TimeUnit.SECONDS);
        final long before = store.lastCheckpoint();
        // Pages freed after the checkpointer's last checkpoint: make their frees durable too, with no new pages.
        store.checkpoint(List.of());
        model.putAll(committed);
        freed.keySet().forEach(model::remove);
        return before + 1;
    }

    private static void write(final PageStore store, final Random random, final AtomicLong seeds,
        final ConcurrentLinkedQueue<Written> pending, final ConcurrentLinkedQueue<Long> freeable,
        final Map<Long, Boolean> freed)
    {
        try (PageWriter writer = store.newWriter())
        {
            final byte[] readBack = new byte[PageStore.PAGE_SIZE];
            for (int op = 0; op < OPS_PER_WRITER; op++)
            {
                final int count = 1 + random.nextInt(6);
                final long first;
                try
                {
                    first = writer.allocate(count);
                }
                catch (final StoreFullException ex)
                {
                    return;
                }
                for (long pageId = first; pageId < first + count; pageId++)
                {
                    if (random.nextInt(20) == 0)
                    {
                        continue;
                    }
                    final long seed = seeds.incrementAndGet();
                    final PageReceipt receipt = writer.write(pageId, page(seed));
                    // Read back before the receipt is handed on: once queued, the page can be checkpointed, freed by
                    // another writer and its free made durable before this thread runs again.
                    store.read(pageId, readBack);
                    assertArrayEquals(page(seed), readBack);
                    pending.add(new Written(receipt, seed));
                }
                for (int f = random.nextInt(7); f > 0; f--)
                {
                    final Long victim = freeable.poll();
                    if (null != victim)
                    {
                        // Recorded before the free: the page can be reused and committed again only after it.
                        freed.put(victim, Boolean.TRUE);
                        store.free(victim);
                    }
                }
                if (random.nextBoolean())
                {
                    Thread.yield();
                }
            }
        }
    }
}

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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history of a store under a snapshot load: every generation of every page (its seed, the checkpoint that made it
 * live, the one that freed it) and the roots of every checkpoint, so that what any checkpoint held can be asked
 * afterwards. Writers write concurrently; each one's frees, root and checkpoint run under {@link #lock}, so that the
 * checkpoint a free lands in is exactly the one that call returns.
 */
final class SnapshotHistory
{
    private record Generation(long seed, long liveSince, long freedAt)
    {
    }

    final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, List<Generation>> pages = new HashMap<>();
    private final TreeMap<Long, long[]> roots = new TreeMap<>();
    private final long[] currentRoots = new long[PageStore.ROOT_SLOTS];
    private volatile long recorded;

    SnapshotHistory(final long sequence)
    {
        roots.put(sequence, currentRoots.clone());
        recorded = sequence;
    }

    /**
     * One writer's step: writes a new page, and under the lock frees its oldest page once it holds more than
     * {@code keep}, sets its root slot to the new page and checkpoints; returns {@code false} if the store was full.
     */
    boolean step(final PageStore store, final PageWriter writer, final int slot, final List<Long> mine,
        final Random random, final int keep)
    {
        final long seed = random.nextLong();
        final PageReceipt receipt;
        try
        {
            final long id = writer.allocate();
            receipt = writer.write(id, page(seed));
        }
        catch (final StoreFullException ex)
        {
            return false;
        }
        lock.lock();
        try
        {
            final long freed = mine.size() > keep ? mine.remove(0) : -1;
            if (freed >= 0)
            {
                store.free(freed);
            }
            store.setRoot(slot, receipt.pageId());
            final long sequence = store.checkpoint(List.of(receipt)).sequence();
            synchronized (this)
            {
                if (freed >= 0)
                {
                    final List<Generation> generations = pages.get(freed);
                    final Generation last = generations.removeLast();
                    generations.add(new Generation(last.seed(), last.liveSince(), sequence));
                }
                pages.computeIfAbsent(receipt.pageId(), p -> new ArrayList<>())
                    .add(new Generation(seed, sequence, Long.MAX_VALUE));
                currentRoots[slot] = receipt.pageId();
                roots.put(sequence, currentRoots.clone());
            }
            // Volatile write after the history of the checkpoint: partner of awaitRecorded.
            recorded = sequence;
            mine.add(receipt.pageId());
        }
        finally
        {
            lock.unlock();
        }
        return true;
    }

    /**
     * {@return the seed of the page's bytes in checkpoint {@code sequence}, or {@code null} if it was not live}
     */
    synchronized Long seedAt(final long pageId, final long sequence)
    {
        for (final Generation generation : pages.getOrDefault(pageId, List.of()))
        {
            if (generation.liveSince() <= sequence && sequence < generation.freedAt())
            {
                return generation.seed();
            }
        }
        return null;
    }

    /**
     * {@return the number of page generations written: above the page count once ids are reused}
     */
    synchronized long generations()
    {
        long count = 0;
        for (final List<Generation> generations : pages.values())
        {
            count += generations.size();
        }
        return count;
    }

    synchronized long[] rootsAt(final long sequence)
    {
        return roots.floorEntry(sequence).getValue().clone();
    }

    void awaitRecorded(final long sequence)
    {
        while (recorded < sequence)
        {
            Thread.onSpinWait();
        }
    }

    /**
     * Checks one page of a snapshot against the history, read into the array or, for every other page, in place
     * (which checks the page's lifetimes inside the mapping's access gate).
     */
    void checkPage(final StoreSnapshot snapshot, final long pageId, final byte[] buffer)
    {
        final Long seed = seedAt(pageId, snapshot.sequence());
        final boolean inPlace = 0 == ((pageId + snapshot.sequence()) & 1);
        if (null == seed)
        {
            assertThrowsExactly(PageNotInSnapshotException.class, () ->
            {
                if (inPlace)
                {
                    snapshot.read(pageId, view -> view.getBytes(0, buffer));
                }
                else
                {
                    snapshot.read(pageId, buffer);
                }
            }, "page=" + pageId + " at " + snapshot.sequence());
        }
        else
        {
            if (inPlace)
            {
                snapshot.read(pageId, view -> view.getBytes(0, buffer));
            }
            else
            {
                snapshot.read(pageId, buffer);
            }
            assertArrayEquals(page(seed), buffer, "page=" + pageId + " at " + snapshot.sequence() + (inPlace ?
                " in place" : ""));
        }
    }

    /**
     * Checks a whole store (a backup) against checkpoint {@code sequence}: its sequence, roots, every page and the
     * pages that must not be readable.
     */
    void checkStore(final PageStore store, final long sequence)
    {
        assertEquals(sequence, store.lastCheckpoint());
        final long[] expectedRoots = rootsAt(sequence);
        for (int slot = 0; slot < PageStore.ROOT_SLOTS; slot++)
        {
            assertEquals(expectedRoots[slot], store.root(slot), "slot=" + slot);
        }
        final byte[] buffer = new byte[PageStore.PAGE_SIZE];
        long live = 0;
        for (long pageId = 0; pageId < store.pageCount(); pageId++)
        {
            final Long seed = seedAt(pageId, sequence);
            final long id = pageId;
            if (null == seed)
            {
                assertThrowsExactly(IllegalStateException.class, () -> store.read(id, buffer), "page=" + pageId);
            }
            else
            {
                store.read(pageId, buffer);
                assertArrayEquals(page(seed), buffer, "page=" + pageId);
                live++;
            }
        }
        final VerifyReport report = store.verify();
        assertTrue(report.isClean(), report.toString());
        assertEquals(live, report.pagesChecked());
    }
}

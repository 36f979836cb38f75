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
package io.rangedmmap.store.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The free pages one writer has claimed from the store's pool and not yet handed out: up to {@link #CAPACITY} runs,
 * each one 64-bit word {@code start << 32 | length} in a slot that the owner and a thief change only by
 * compare-and-set, so that another writer can take them back without the owner's help (work stealing).
 *
 * <p><b>Owner.</b> {@link #take(long)} hands out a run of pages from the front of a slot with one compare-and-set on
 * that slot, a line no other thread writes unless the store is full: no lock, no shared write on the write path.
 *
 * <p><b>Pool.</b> Every other change happens under the lock of the store's pool ({@link ExtentAllocator}): a refill
 * writes new runs into the slots, and a drain empties every slot with a compare-and-set each, handing the runs back
 * to the pool (a writer's own leftovers when it refills or closes; every writer's when a writer finds the pool empty
 * at the store's maximum size: the steal). A slot's word says exactly which pages it holds, so whichever
 * compare-and-set lands first owns those pages, and the other sees the new word and retries or moves on: the owner
 * may be in the middle of {@code take} while a thief drains its slots. A page the owner took is never in the pool,
 * and a page a thief took is never handed out by the owner.
 *
 * <p>The owner's bookkeeping ({@code head}, {@code used}: which slots its last refill filled) is touched only by the
 * owner's thread, in {@code take} and in its own refill; a thief's drain reads only the slots.
 *
 * <p><b>Thread safety:</b> {@code take} by the owning writer's thread; the rest under the pool's lock.
 */
public final class Extent
{
    /**
     * The most runs one extent holds: a refill of single pages from a fragmented pool stops at this many runs.
     */
    public static final int CAPACITY = 64;

    /**
     * Unused longs before and after the slots, so that the slots of two writers never share a cache line.
     */
    private static final int PAD = 8;

    private static final long LENGTH_MASK = 0xFFFF_FFFFL;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots = new long[PAD + CAPACITY + PAD];

    /**
     * The slots filled by the last refill are {@code [head, used)}; the ones before {@code head} are known empty.
     */
    private int head;
    private int used;

    /**
     * Scratch for a refill, reused under the pool's lock.
     */
    private final Runs incoming = new Runs();

    /**
     * Creates an empty extent.
     */
    public Extent()
    {
    }

    /**
     * Takes {@code count} consecutive pages from the front of the first run that has them; by the owner only.
     *
     * @param count the pages wanted, at least 1.
     * @return the first page taken, or -1 if no run of this extent has {@code count} pages (now).
     */
    public long take(final long count)
    {
        for (int i = head; i < used; i++)
        {
            // Acquire: partner of the release store of a refill (under the pool's lock) and of the CAS of a drain.
            long word = (long)SLOT.getAcquire(slots, PAD + i);
            while (lengthOf(word) >= count)
            {
                final long start = startOf(word);
                // The hand-off: if a drain emptied or the owner's earlier take changed the slot since the load, the
                // CAS fails and the slot is read again; if it lands, no drain can take these pages any more.
                if (SLOT.compareAndSet(slots, PAD + i, word, wordOf(start + count, lengthOf(word) - count)))
                {
                    return start;
                }
                word = (long)SLOT.getAcquire(slots, PAD + i);
            }
            if (0 == lengthOf(word) && i == head)
            {
                head++;
            }
        }
        return -1;
    }

    /**
     * {@return the pages this extent holds now; a snapshot for messages and tests}
     */
    public long pages()
    {
        long pages = 0;
        for (int i = 0; i < CAPACITY; i++)
        {
            pages += lengthOf((long)SLOT.getAcquire(slots, PAD + i));
        }
        return pages;
    }

    /**
     * Empties every slot and adds the runs it held to {@code free}; under the pool's lock.
     *
     * @param free the pool's free runs.
     * @return the pages moved.
     */
    long drainTo(final FreeRuns free)
    {
        long pages = 0;
        // Every slot, not [head, used): those are the owner's, and a thief may see them stale. A slot outside the
        // last refill's is 0, since a refill writes its slots only after the drain that emptied them all.
        for (int i = 0; i < CAPACITY; i++)
        {
            long word = (long)SLOT.getAcquire(slots, PAD + i);
            // The owner may take from the front of this run meanwhile: whichever CAS lands owns the pages.
            while (0 != lengthOf(word) && !SLOT.compareAndSet(slots, PAD + i, word, 0L))
            {
                word = (long)SLOT.getAcquire(slots, PAD + i);
            }
            final long length = lengthOf(word);
            if (0 != length)
            {
                final long start = startOf(word);
                free.add(start, start + length);
                pages += length;
            }
        }
        return pages;
    }

    /**
     * The scratch list a refill claims into; under the pool's lock, emptied.
     *
     * @return the list, empty.
     */
    Runs incoming()
    {
        incoming.clear();
        return incoming;
    }

    /**
     * Publishes the runs claimed into {@link #incoming()} as this extent's slots, after a {@link #drainTo(FreeRuns)};
     * under the pool's lock.
     */
    void publishIncoming()
    {
        final int count = incoming.count();
        for (int i = 0; i < count; i++)
        {
            // Release: partner of the acquire loads of take and drainTo; the slot's pages are FREE in the page table.
            SLOT.setRelease(slots, PAD + i, wordOf(incoming.start(i), incoming.end(i) - incoming.start(i)));
        }
        head = 0;
        used = count;
        incoming.clear();
    }

    @Override
    public String toString()
    {
        return "Extent{pages=" + pages() + ", slots=" + (used - head) + "}";
    }

    private static long wordOf(final long start, final long length)
    {
        return 0 == length ? 0L : start << 32 | length;
    }

    private static long startOf(final long word)
    {
        return word >>> 32;
    }

    private static long lengthOf(final long word)
    {
        return word & LENGTH_MASK;
    }
}

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

import java.util.Arrays;

/**
 * The user pages faulted in writable ahead of time ({@code PageStore.advise} with {@code POPULATE_WRITE}) since the
 * last checkpoint: a hint for the writers' copying writes, which go through the mapping into these pages (a plain
 * copy, no fault, and it scales with threads) and by {@code pwrite} into every other page (no fault either, where a
 * write through the mapping would take one). A checkpoint's flush write-protects the mapping entries of the pages it
 * writes back, so each checkpoint forgets them all; a page forgotten too early, or remembered too long (the kernel
 * wrote it back by itself), only costs a fault or a system call, never a byte.
 *
 * <p>The runs are kept as a sorted array of disjoint, non-adjacent {@code [first, end)} pairs, replaced whole (copy on
 * write) by each {@link #add} and {@link #clear}: a lookup is a binary search over a few longs with no lock, no
 * boxing and no allocation, on every copying write; an advice, which is a system call anyway, pays the copy. Runs
 * advised next to or over each other merge, so a bulk load advising page after page keeps one run. At most
 * {@link #MAX_RUNS} runs are kept between two checkpoints; a run beyond that is not remembered (a hint, see above).
 *
 * <p><b>Thread safety:</b> any thread. {@link #contains(long)} allocates nothing and takes no lock; {@link #add} and
 * {@link #clear} are serialised by the instance's monitor.
 */
public final class PopulatedPages
{
    /**
     * The most runs remembered between two checkpoints: 16 KiB of array, 10 steps of binary search.
     */
    public static final int MAX_RUNS = 1024;

    private static final long[] NONE = new long[0];

    /**
     * {@code first0, end0, first1, end1, ...}: sorted, disjoint and non-adjacent ({@code end(i) < first(i + 1)}).
     * Never changed once published. Volatile: written (release) by {@link #add} and {@link #clear} after the array
     * is filled, read (acquire) by {@link #contains}, which therefore sees a whole array.
     */
    private volatile long[] runs = NONE;

    /**
     * Creates an empty set: a store remembers no page at open.
     */
    public PopulatedPages()
    {
    }

    /**
     * Remembers {@code [first, end)} as faulted in writable, merged with every run it overlaps or touches.
     *
     * @param first the first page.
     * @param end   the page after the last; nothing is remembered if it is not above {@code first}.
     */
    public synchronized void add(final long first, final long end)
    {
        if (end <= first)
        {
            return;
        }
        final long[] old = runs;
        final int count = old.length >>> 1;
        // The runs before the new one: those ending before it starts (not touching it).
        int lo = 0;
        while (lo < count && old[2 * lo + 1] < first)
        {
            lo++;
        }
        // The runs it overlaps or touches: [lo, hi).
        int hi = lo;
        long mergedFirst = first;
        long mergedEnd = end;
        while (hi < count && old[2 * hi] <= end)
        {
            mergedFirst = Math.min(mergedFirst, old[2 * hi]);
            mergedEnd = Math.max(mergedEnd, old[2 * hi + 1]);
            hi++;
        }
        final int newCount = count - (hi - lo) + 1;
        if (newCount > MAX_RUNS)
        {
            return;
        }
        final long[] fresh = new long[2 * newCount];
        System.arraycopy(old, 0, fresh, 0, 2 * lo);
        fresh[2 * lo] = mergedFirst;
        fresh[2 * lo + 1] = mergedEnd;
        System.arraycopy(old, 2 * hi, fresh, 2 * lo + 2, 2 * (count - hi));
        // Volatile write (release) of a filled array; partner: the volatile read in contains.
        runs = fresh;
    }

    /**
     * {@return whether {@code page} was faulted in writable since the last checkpoint}
     *
     * @param page the page.
     */
    public boolean contains(final long page)
    {
        // Volatile read (acquire); partner: the volatile write in add and clear.
        final long[] current = runs;
        int lo = 0;
        int hi = (current.length >>> 1) - 1;
        // The last run starting at or before page, if any, is the only one that can hold it.
        while (lo <= hi)
        {
            final int mid = (lo + hi) >>> 1;
            if (current[2 * mid] <= page)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return hi >= 0 && page < current[2 * hi + 1];
    }

    /**
     * {@return the number of runs remembered now: merged runs count once}
     */
    public int runCount()
    {
        return runs.length >>> 1;
    }

    /**
     * Forgets every page: a checkpoint's flush wrote them back, or may have.
     */
    public void clear()
    {
        // Unlocked test first: most checkpoints have nothing to forget.
        if (NONE != runs)
        {
            synchronized (this)
            {
                runs = NONE;
            }
        }
    }

    @Override
    public String toString()
    {
        return "PopulatedPages" + Arrays.toString(runs);
    }
}

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
 * A growable list of page runs {@code [start, end)}, in the order added; a run that continues the last one is merged
 * into it. A writer hands its pages out of one: {@link #find(long)} and {@link #take(int, long)} cost O(1) for one
 * page and O(log n) for a longer run, in the number of runs held, so a writer that holds the runs of a fragmented
 * store does not slow down.
 *
 * <p>Runs emptied by {@code take} at the front are skipped at once; one emptied further in stays, with no pages,
 * until the runs before it are used up (indices are never shifted under a caller by a {@code take}).
 *
 * <p><b>Thread safety:</b> none; used by one thread at a time.
 */
public final class Runs
{
    private long[] starts = new long[8];
    private long[] ends = new long[8];
    private int first;
    private int count;
    private long pages;

    /**
     * The largest run length under each node of a binary tree over the runs (leaf {@code cap + i} is run {@code i}),
     * for the first-fit search of a run longer than one page; built at the first such search, then kept up to date.
     */
    private long[] longest;
    private int cap;

    /**
     * Creates an empty list.
     */
    public Runs()
    {
    }

    /**
     * {@return the runs of a sorted array of distinct page ids}
     *
     * @param sortedPages the page ids, ascending, no duplicates.
     */
    public static Runs of(final long[] sortedPages)
    {
        final Runs runs = new Runs();
        for (final long page : sortedPages)
        {
            runs.add(page, page + 1);
        }
        return runs;
    }

    /**
     * Adds a run, merging it into the last one if it continues it.
     *
     * @param start the first page.
     * @param end   one past the last page; nothing is added if {@code end <= start}.
     */
    public void add(final long start, final long end)
    {
        if (end <= start)
        {
            return;
        }
        pages += end - start;
        if (first != count && ends[count - 1] == start)
        {
            ends[count - 1] = end;
            update(count - 1);
            return;
        }
        if (count == starts.length)
        {
            grow();
        }
        starts[count] = start;
        ends[count] = end;
        count++;
        update(count - 1);
    }

    /**
     * {@return the number of runs}
     */
    public int count()
    {
        return count - first;
    }

    /**
     * {@return the first page of a run}
     *
     * @param index the run, in {@code [0, count())}.
     */
    public long start(final int index)
    {
        return starts[first + index];
    }

    /**
     * {@return one past the last page of a run}
     *
     * @param index the run, in {@code [0, count())}.
     */
    public long end(final int index)
    {
        return ends[first + index];
    }

    /**
     * {@return the total number of pages in all runs}
     */
    public long pages()
    {
        return pages;
    }

    /**
     * {@return the index of the first run of at least {@code length} pages, or -1}: O(1) for one page, O(log n)
     * for more.
     *
     * @param length the pages needed, at least 1.
     */
    public int find(final long length)
    {
        if (first == count)
        {
            return -1;
        }
        if (length <= 1)
        {
            return 0;
        }
        if (null == longest)
        {
            build();
        }
        if (longest[1] < length)
        {
            return -1;
        }
        int node = 1;
        while (node < cap)
        {
            node = longest[2 * node] >= length ? 2 * node : 2 * node + 1;
        }
        return node - cap - first;
    }

    /**
     * Takes {@code length} pages from the front of a run.
     *
     * @param index  the run, with at least {@code length} pages.
     * @param length the pages to take.
     * @return the first page taken.
     */
    public long take(final int index, final long length)
    {
        final int run = first + index;
        final long start = starts[run];
        starts[run] = start + length;
        pages -= length;
        update(run);
        while (first != count && starts[first] == ends[first])
        {
            first++;
        }
        if (first == count)
        {
            first = 0;
            count = 0;
            longest = null;
        }
        else if (first >= 64 && first > count >>> 1)
        {
            compact();
        }
        return start;
    }

    /**
     * Adds every run of this list to {@code other}.
     *
     * @param other where the runs go.
     */
    public void addTo(final Runs other)
    {
        for (int i = first; i < count; i++)
        {
            other.add(starts[i], ends[i]);
        }
    }

    /**
     * Removes every run.
     */
    public void clear()
    {
        first = 0;
        count = 0;
        pages = 0;
        longest = null;
    }

    @Override
    public String toString()
    {
        final StringBuilder builder = new StringBuilder("Runs{");
        for (int i = first; i < count; i++)
        {
            builder.append(first == i ? "" : ", ").append('[').append(starts[i]).append(", ").append(ends[i])
                .append(')');
        }
        return builder.append('}').toString();
    }

    private void grow()
    {
        if (first >= count >>> 1)
        {
            // At least half the array is used up: reusing it costs no more than the copy a doubling would make.
            compact();
            return;
        }
        starts = Arrays.copyOf(starts, count * 2);
        ends = Arrays.copyOf(ends, count * 2);
        longest = null;
    }

    /**
     * Drops the used-up runs before {@code first}; amortised O(1) per take, since it runs once they are the half.
     */
    private void compact()
    {
        System.arraycopy(starts, first, starts, 0, count - first);
        System.arraycopy(ends, first, ends, 0, count - first);
        count -= first;
        first = 0;
        longest = null;
    }

    private void build()
    {
        cap = Integer.highestOneBit(Math.max(1, starts.length - 1)) << 1;
        longest = new long[2 * cap];
        for (int i = first; i < count; i++)
        {
            longest[cap + i] = ends[i] - starts[i];
        }
        for (int node = cap - 1; node >= 1; node--)
        {
            longest[node] = Math.max(longest[2 * node], longest[2 * node + 1]);
        }
    }

    private void update(final int run)
    {
        if (null == longest)
        {
            return;
        }
        int node = cap + run;
        longest[node] = ends[run] - starts[run];
        for (node >>>= 1; node >= 1; node >>>= 1)
        {
            longest[node] = Math.max(longest[2 * node], longest[2 * node + 1]);
        }
    }
}

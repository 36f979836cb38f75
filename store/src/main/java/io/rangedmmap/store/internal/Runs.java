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
 * into it.
 *
 * <p><b>Thread safety:</b> none; used by one thread at a time.
 */
public final class Runs
{
    private long[] starts = new long[8];
    private long[] ends = new long[8];
    private int count;

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
        if (0 != count && ends[count - 1] == start)
        {
            ends[count - 1] = end;
            return;
        }
        if (count == starts.length)
        {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        starts[count] = start;
        ends[count] = end;
        count++;
    }

    /**
     * {@return the number of runs}
     */
    public int count()
    {
        return count;
    }

    /**
     * {@return the first page of a run}
     *
     * @param index the run.
     */
    public long start(final int index)
    {
        return starts[index];
    }

    /**
     * {@return one past the last page of a run}
     *
     * @param index the run.
     */
    public long end(final int index)
    {
        return ends[index];
    }

    /**
     * {@return the total number of pages in all runs}
     */
    public long pages()
    {
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            total += ends[i] - starts[i];
        }
        return total;
    }

    /**
     * {@return the index of the first run of at least {@code length} pages, or -1}
     *
     * @param length the pages needed.
     */
    public int find(final long length)
    {
        for (int i = 0; i < count; i++)
        {
            if (ends[i] - starts[i] >= length)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Takes {@code length} pages from the front of a run, removing the run once it is empty.
     *
     * @param index  the run, with at least {@code length} pages.
     * @param length the pages to take.
     * @return the first page taken.
     */
    public long take(final int index, final long length)
    {
        final long start = starts[index];
        starts[index] = start + length;
        if (starts[index] == ends[index])
        {
            System.arraycopy(starts, index + 1, starts, index, count - index - 1);
            System.arraycopy(ends, index + 1, ends, index, count - index - 1);
            count--;
        }
        return start;
    }

    /**
     * Removes every run.
     */
    public void clear()
    {
        count = 0;
    }

    @Override
    public String toString()
    {
        final StringBuilder builder = new StringBuilder("Runs{");
        for (int i = 0; i < count; i++)
        {
            builder.append(0 == i ? "" : ", ").append('[').append(starts[i]).append(", ").append(ends[i]).append(')');
        }
        return builder.append('}').toString();
    }
}

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
 * The free pages of a store as disjoint runs {@code [start, end)}, always coalesced: a run added next to a free run
 * merges with it, so two free runs never touch, and a run of {@code n} free pages is found whenever the store has
 * one, whatever the order of the frees that made it.
 *
 * <p>The runs are the nodes of a treap keyed by their first page; each node also holds the length of the longest
 * run in its subtree, so {@link #take(long, long, Runs)} finds the run of at least {@code count} pages with the
 * lowest first page by one descent. Adding a run and taking one cost O(log n) expected in the number of runs; the
 * nodes live in parallel arrays reused through a free list, so nothing is allocated once the arrays are large
 * enough. Memory grows with the number of free runs (fragmentation), not with the store's size.
 *
 * <p><b>Thread safety:</b> none; {@link ExtentAllocator} guards it with its lock.
 */
public final class FreeRuns
{
    /**
     * Node 0 is the empty subtree: its longest run is 0 and it is never written.
     */
    private static final int NIL = 0;

    private long[] starts = new long[16];
    private long[] ends = new long[16];
    private long[] longest = new long[16];
    private int[] lefts = new int[16];
    private int[] rights = new int[16];
    private int[] priorities = new int[16];
    private int used = 1;
    private int recycled = NIL;
    private int root = NIL;
    private int runs;
    private long pages;
    private int random = 0x9E3779B9;

    /**
     * The two halves of the last {@link #split(int, long)}: keys below the split key, and keys at or above it.
     */
    private int below;
    private int above;

    /**
     * Creates an empty set of runs.
     */
    public FreeRuns()
    {
    }

    /**
     * Adds the free run {@code [start, end)}, merging it with the free runs it touches.
     *
     * @param start the first page.
     * @param end   one past the last page; nothing is added if {@code end <= start}.
     * @throws IllegalStateException if a page of the run is already free (a page freed twice): nothing is added.
     */
    public void add(final long start, final long end)
    {
        if (end <= start)
        {
            return;
        }
        split(root, start);
        int low = below;
        int high = above;
        long first = start;
        long last = end;
        final int previous = rightmost(low);
        final int next = leftmost(high);
        if ((NIL != previous && ends[previous] > start) || (NIL != next && starts[next] < end))
        {
            root = merge(low, high);
            final int clash = NIL != previous && ends[previous] > start ? previous : next;
            throw new IllegalStateException("pages [" + start + ", " + end + ") are freed twice: [" + starts[clash] +
                ", " + ends[clash] + ") is already free");
        }
        if (NIL != previous && ends[previous] == start)
        {
            first = starts[previous];
            split(low, first);
            low = below;
            recycle(above);
        }
        if (NIL != next && starts[next] == end)
        {
            last = ends[next];
            split(high, end + 1);
            high = above;
            recycle(below);
        }
        root = merge(merge(low, node(first, last)), high);
        pages += end - start;
    }

    /**
     * {@return the first page of the free run of at least {@code count} pages that has the lowest first page, or -1 if
     * none}: the run {@link #take(long, long, Runs)} would take from.
     *
     * @param count the length the run must have, at least 1.
     */
    public long lowestStart(final long count)
    {
        if (longest[root] < count)
        {
            return -1;
        }
        int node = root;
        while (true)
        {
            if (longest[lefts[node]] >= count)
            {
                node = lefts[node];
            }
            else if (ends[node] - starts[node] >= count)
            {
                return starts[node];
            }
            else
            {
                node = rights[node];
            }
        }
    }

    /**
     * Takes pages from the front of the free run of at least {@code count} pages that has the lowest first page.
     *
     * @param count the length the run must have, at least 1.
     * @param want  the pages to take if the run has them, at least {@code count}.
     * @param into  where the pages taken go, as one run.
     * @return the number of pages taken, from {@code count} to {@code want}, or 0 if no free run has {@code count}
     *         pages.
     */
    public long take(final long count, final long want, final Runs into)
    {
        if (longest[root] < count)
        {
            return 0;
        }
        int node = root;
        while (true)
        {
            // The empty subtree's longest is 0 < count: the descent never enters it.
            if (longest[lefts[node]] >= count)
            {
                node = lefts[node];
            }
            else if (ends[node] - starts[node] >= count)
            {
                break;
            }
            else
            {
                node = rights[node];
            }
        }
        final long start = starts[node];
        final long end = ends[node];
        final long taken = Math.min(end - start, Math.max(count, want));
        split(root, start);
        final int low = below;
        split(above, start + 1);
        final int high = above;
        // below is now this node alone, with no children: shorten it in place, or drop it.
        if (taken < end - start)
        {
            starts[node] = start + taken;
            pull(node);
            root = merge(merge(low, node), high);
        }
        else
        {
            recycle(node);
            root = merge(low, high);
        }
        pages -= taken;
        into.add(start, start + taken);
        return taken;
    }

    /**
     * {@return the number of free runs}
     */
    public int runs()
    {
        return runs;
    }

    /**
     * {@return the number of free pages}
     */
    public long pages()
    {
        return pages;
    }

    /**
     * {@return the length of the longest free run, 0 if none}
     */
    public long longestRun()
    {
        return longest[root];
    }

    /**
     * {@return the runs in ascending order, as {@code {start0, end0, start1, end1, ...}}: for tests and messages}
     */
    public long[] toArray()
    {
        final long[] out = new long[2 * runs];
        int[] path = new int[64];
        int depth = 0;
        int node = root;
        int at = 0;
        while (NIL != node || depth > 0)
        {
            while (NIL != node)
            {
                if (depth == path.length)
                {
                    path = Arrays.copyOf(path, 2 * depth);
                }
                path[depth++] = node;
                node = lefts[node];
            }
            node = path[--depth];
            out[at++] = starts[node];
            out[at++] = ends[node];
            node = rights[node];
        }
        return out;
    }

    @Override
    public String toString()
    {
        final long[] all = toArray();
        final StringBuilder builder = new StringBuilder("FreeRuns{");
        for (int i = 0; i < all.length; i += 2)
        {
            builder.append(0 == i ? "" : ", ").append('[').append(all[i]).append(", ").append(all[i + 1]).append(')');
        }
        return builder.append('}').toString();
    }

    /**
     * Splits the subtree {@code tree} into the runs starting below {@code key} ({@link #below}) and the others
     * ({@link #above}).
     */
    private void split(final int tree, final long key)
    {
        if (NIL == tree)
        {
            below = NIL;
            above = NIL;
            return;
        }
        if (starts[tree] < key)
        {
            split(rights[tree], key);
            rights[tree] = below;
            pull(tree);
            below = tree;
        }
        else
        {
            split(lefts[tree], key);
            lefts[tree] = above;
            pull(tree);
            above = tree;
        }
    }

    /**
     * {@return the union of two subtrees, every run of {@code low} starting below every run of {@code high}}
     */
    private int merge(final int low, final int high)
    {
        if (NIL == low)
        {
            return high;
        }
        if (NIL == high)
        {
            return low;
        }
        if (priorities[low] > priorities[high])
        {
            rights[low] = merge(rights[low], high);
            pull(low);
            return low;
        }
        lefts[high] = merge(low, lefts[high]);
        pull(high);
        return high;
    }

    private void pull(final int node)
    {
        longest[node] = Math.max(ends[node] - starts[node], Math.max(longest[lefts[node]], longest[rights[node]]));
    }

    private int leftmost(final int tree)
    {
        int node = tree;
        while (NIL != node && NIL != lefts[node])
        {
            node = lefts[node];
        }
        return node;
    }

    private int rightmost(final int tree)
    {
        int node = tree;
        while (NIL != node && NIL != rights[node])
        {
            node = rights[node];
        }
        return node;
    }

    private int node(final long start, final long end)
    {
        final int node;
        if (NIL != recycled)
        {
            node = recycled;
            recycled = lefts[node];
        }
        else
        {
            if (used == starts.length)
            {
                grow();
            }
            node = used++;
        }
        starts[node] = start;
        ends[node] = end;
        longest[node] = end - start;
        lefts[node] = NIL;
        rights[node] = NIL;
        // xorshift32: random priorities keep the treap's depth O(log n) expected, whatever the order of the runs.
        random ^= random << 13;
        random ^= random >>> 17;
        random ^= random << 5;
        priorities[node] = random;
        runs++;
        return node;
    }

    /**
     * Puts a node taken out of the tree (with no children) on the free list.
     */
    private void recycle(final int node)
    {
        lefts[node] = recycled;
        rights[node] = NIL;
        longest[node] = 0;
        recycled = node;
        runs--;
    }

    private void grow()
    {
        final int capacity = 2 * starts.length;
        starts = Arrays.copyOf(starts, capacity);
        ends = Arrays.copyOf(ends, capacity);
        longest = Arrays.copyOf(longest, capacity);
        lefts = Arrays.copyOf(lefts, capacity);
        rights = Arrays.copyOf(rights, capacity);
        priorities = Arrays.copyOf(priorities, capacity);
    }
}

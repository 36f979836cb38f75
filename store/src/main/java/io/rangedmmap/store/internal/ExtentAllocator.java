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

import io.rangedmmap.store.internal.format.StoreLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's pool of free pages, from which writers claim extents: one index of coalesced free runs
 * ({@link FreeRuns}) behind one short lock.
 *
 * <p>Writers do not come here for each page: a writer hands pages out of the extent it holds with no lock and no
 * shared write, and takes this lock only on the slow path, when its extent is used up (one claim per
 * {@code extentPages} pages), and when it gives pages back. A claim takes the free pages with the lowest ids, so
 * reuse stays at the front of the file and free space gathers at its end. Pages added (a durable checkpoint's
 * frees, a discarded page, a closing writer's unused extent, pages a store grows by) merge with their free
 * neighbours at once, so a run of {@code n} free pages in the pool is always found by {@link #claim(long, long,
 * Runs)}, whatever the history of allocations and frees. Each call costs O(log n) per run in the number of free
 * runs, never a pass over the store; a large batch of runs is added a slice at a time, so a writer waiting to
 * refill waits for one slice, not for the whole checkpoint.
 *
 * <p>The pool's lock also guards the store's {@link PageCounts}: a counted page passes from one writer to another,
 * and from a checkpoint's frees to a writer, only through this pool, so the counts summed under its lock never count
 * such a page twice ({@link #countLiveAndInFlight()}).
 *
 * <p><b>Thread safety:</b> every method from any thread. The lock orders a page's {@code FREE} state, stored
 * before the page is added, before the {@code ALLOCATED} state the claiming writer stores after its claim.
 */
public final class ExtentAllocator
{
    /**
     * Runs added per hold of the lock by {@link #append(Runs)}: about 100 µs of work at most.
     */
    private static final int SLICE_RUNS = 256;

    private final ReentrantLock lock = new ReentrantLock();
    private final FreeRuns free = new FreeRuns();
    /**
     * The extents of the open writers, for {@link #steal(Extent, long, long)}; guarded by {@link #lock}.
     */
    private final List<Extent> extents = new ArrayList<>();
    /**
     * The store's page counts by state; guarded by {@link #lock}.
     */
    private final PageCounts counts;
    // Volatile: written under the lock by each refill, read without it by StoreGrowth's check for a growth ahead.
    private volatile long poolPages;
    /**
     * The table of a store opened lazily, whose groups below {@code table.lazyGroups()} hand their free pages to this
     * pool when they are loaded; {@code null} if the open loaded every group. Set before the pool is shared.
     */
    private PageTable lazyTable;
    /**
     * The groups below it are loaded, their free pages in the pool; guarded by {@link #lock}. Only moves up.
     */
    private long frontier;

    /**
     * Creates a pool holding {@code free}, of a store with no live page.
     *
     * @param free the free runs, ascending.
     */
    public ExtentAllocator(final Runs free)
    {
        this(free, 0);
    }

    /**
     * Creates a pool holding {@code free}, of a store that opened with {@code livePages} live pages.
     *
     * @param free      the free runs, ascending.
     * @param livePages the live pages of the checkpoint the store opened at, for {@link #countLiveAndInFlight()}.
     */
    public ExtentAllocator(final Runs free, final long livePages)
    {
        this.counts = new PageCounts(livePages);
        append(free);
    }

    /**
     * Tells the pool that the groups below {@code table.lazyGroups()} are not loaded yet, and that their free pages
     * are not in the pool: each claim loads them, in ascending order, until the lowest free run it can take lies below
     * the first group still unloaded (a lower run would be in a loaded group, hence in the pool), or every group is
     * loaded. So a claim takes the lowest run of its length exactly as if every group had been loaded, and finds no
     * run only once every group is loaded: the first claims after a clean open may load groups, all of them at worst
     * (the only free space at the top of the store). Call before the pool is shared.
     *
     * @param table the store's table, whose loader appends each loaded group's free pages here.
     */
    public void lazy(final PageTable table)
    {
        // The frontier starts at group 0: uncover skips, a bit test each, the groups the clean close's map says held
        // no free page in the checkpoint the store opened at (a page freed since reaches the pool through its
        // checkpoint).
        lazyTable = table;
        poolPages = Long.MAX_VALUE;
    }

    /**
     * Claims up to {@code n} free pages, lowest ids first, and adds them to {@code into} as one or more runs.
     *
     * @param n    the pages wanted, at least 1.
     * @param into where the claimed runs go.
     * @return the number of pages claimed, from 0 (the pool is empty) to {@code n}.
     */
    public long claim(final long n, final Runs into)
    {
        return claim(1, n, into);
    }

    /**
     * Claims a run of at least {@code count} consecutive free pages, the one with the lowest first page, and up to
     * {@code want} pages of it; for {@code count == 1}, up to {@code want} pages from the lowest runs.
     *
     * @param count the consecutive pages needed, at least 1.
     * @param want  the pages wanted, at least {@code count}.
     * @param into  where the claimed runs go.
     * @return the number of pages claimed: 0 if no free run of {@code count} pages is left, else from {@code count}
     *         to {@code want}.
     */
    public long claim(final long count, final long want, final Runs into)
    {
        lock.lock();
        try
        {
            return takeLocked(count, want, into, Integer.MAX_VALUE);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Registers a writer's extent, so that {@link #steal(Extent, long, long)} can take its free pages back, and its
     * counts, for {@link #countLiveAndInFlight()}.
     *
     * @param extent the writer's extent, empty.
     * @param writer the writer's counts, zero.
     */
    public void register(final Extent extent, final WriterCounts writer)
    {
        lock.lock();
        try
        {
            extents.add(extent);
            counts.register(writer);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Returns the free pages of a closing writer's extent to the pool and forgets the extent; folds the pages the
     * writer wrote and did not discard into the closed writers' total, in the same hold of the lock that forgets its
     * counts, so {@link #countLiveAndInFlight()} counts them exactly once.
     *
     * @param extent the writer's extent.
     * @param writer the writer's counts, with no page allocated any more.
     */
    public void unregister(final Extent extent, final WriterCounts writer)
    {
        lock.lock();
        try
        {
            extent.drainTo(free);
            extents.remove(extent);
            counts.unregister(writer);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Refills a writer's extent from the pool: its leftover runs go back first (where they merge with their free
     * neighbours), then it gets a run of at least {@code count} pages, as {@link #claim(long, long, Runs)} claims,
     * in at most {@link Extent#CAPACITY} runs.
     *
     * @param extent the calling writer's extent.
     * @param count  the consecutive pages needed, at least 1.
     * @param want   the pages wanted, at least {@code count}.
     * @return the pages now in the extent: 0 if the pool has no run of {@code count} pages.
     */
    public long refill(final Extent extent, final long count, final long want)
    {
        lock.lock();
        try
        {
            extent.drainTo(free);
            return fillLocked(extent, count, want);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Takes back into the pool the free pages every writer holds in its extent, then refills the calling writer's
     * extent as {@link #refill(Extent, long, long)} does: the last resort of a writer that found no run of
     * {@code count} pages in the pool of a store that cannot grow. Other writers are not stopped: each slot of their
     * extents changes hands by one compare-and-set, which races only their own lock-free {@link Extent#take(long)};
     * whatever they took before it is theirs, the rest comes back here and merges with its free neighbours, so the
     * run is found whenever the store holds one. The writers robbed refill from the pool at their next allocate.
     *
     * @param extent the calling writer's extent.
     * @param count  the consecutive pages needed, at least 1.
     * @param want   the pages wanted, at least {@code count}.
     * @return the pages now in the extent: 0 if the store holds no free run of {@code count} pages.
     */
    public long steal(final Extent extent, final long count, final long want)
    {
        lock.lock();
        try
        {
            for (int i = 0; i < extents.size(); i++)
            {
                extents.get(i).drainTo(free);
            }
            return fillLocked(extent, count, want);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Counts a durable checkpoint, for the checkpoint coordinator: after it published the page states (WRITTEN to
     * LIVE, FREEING to FREE) and before its frees reach this pool.
     *
     * @param published the pages it moved from WRITTEN to LIVE.
     * @param live      the live pages after it (LIVE or FREEING).
     */
    public void checkpointed(final long published, final long live)
    {
        lock.lock();
        try
        {
            counts.checkpointed(published, live);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Counts the pages by state from the counts kept at each change of state: O(open writers), never a pass over the
     * pages. Exact when no writer call, checkpoint or free is in progress; otherwise a page changing state meanwhile
     * may be missed, but none is counted twice and no count is negative (see {@link PageCounts}).
     *
     * @return {@code {live, inFlight, written}}, as {@link PageTable#countLiveAndInFlight()} counts them when nothing
     *         changes.
     */
    public long[] countLiveAndInFlight()
    {
        lock.lock();
        try
        {
            return counts.countLiveAndInFlight();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * {@return the free pages the pool held after the last refill or steal}: read without the lock, to decide whether
     * to grow ahead.
     */
    public long poolPages()
    {
        return poolPages;
    }

    private long fillLocked(final Extent extent, final long count, final long want)
    {
        final long claimed = takeLocked(count, want, extent.incoming(), Extent.CAPACITY);
        extent.publishIncoming();
        // While groups are unloaded the pool does not know the store's free pages: no growth ahead until it does.
        poolPages = null != lazyTable && frontier < lazyTable.lazyGroups() ? Long.MAX_VALUE : free.pages();
        return claimed;
    }

    private long takeLocked(final long count, final long want, final Runs into, final int maxRuns)
    {
        if (count > 1)
        {
            uncover(count);
            return free.take(count, want, into);
        }
        long claimed = 0;
        while (claimed < want && into.count() < maxRuns)
        {
            if (!uncover(claimed > 0 ? 0 : 1))
            {
                // Another thread is loading the next group and this claim has its pages already: it stops here
                // rather than let go of the lock with pages taken.
                break;
            }
            final long taken = free.take(1, want - claimed, into);
            if (0 == taken)
            {
                break;
            }
            claimed += taken;
        }
        return claimed;
    }

    /**
     * Loads groups of a lazily opened store, in ascending order, until the lowest free run of {@code count} pages in
     * the pool starts below the first unloaded group, or every group is loaded (see {@link #lazy(PageTable)}). The
     * caller holds the lock once: the loader appends to the pool under this same lock (re-entered). A group another
     * thread is loading is waited for with the lock let go, since that thread needs it to append; with
     * {@code count == 0} (the caller has taken pages already and must not let go of the lock) it returns instead.
     *
     * @return whether the pool's lowest run of {@code count} pages is now the store's lowest; {@code false} only for
     *         {@code count == 0}.
     */
    private boolean uncover(final long count)
    {
        final PageTable table = lazyTable;
        if (null == table)
        {
            return true;
        }
        final long groups = table.lazyGroups();
        while (frontier < groups)
        {
            if (!table.isLoaded(frontier) && table.mayHoldFree(frontier))
            {
                final long lowest = free.lowestStart(Math.max(1, count));
                if (lowest >= 0 && lowest < frontier * StoreLayout.GROUP_USER_PAGES)
                {
                    return true;
                }
                if (!table.tryLoad(frontier))
                {
                    if (0 == count)
                    {
                        return false;
                    }
                    lock.unlock();
                    Thread.yield();
                    lock.lock();
                    continue;
                }
            }
            frontier++;
        }
        return true;
    }

    /**
     * Adds free runs to the pool, each merged with the free runs it touches.
     *
     * @param runs the runs, disjoint from each other and from the pool, in any order.
     * @throws IllegalStateException if a page of a run is already in the pool (a page freed twice); the runs
     *                               before it were added.
     */
    public void append(final Runs runs)
    {
        int next = 0;
        while (next < runs.count())
        {
            final int end = Math.min(runs.count(), next + SLICE_RUNS);
            lock.lock();
            try
            {
                for (; next < end; next++)
                {
                    free.add(runs.start(next), runs.end(next));
                }
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /**
     * Adds one free run to the pool, merged with the free runs it touches.
     *
     * @param start the first page.
     * @param end   one past the last page.
     * @throws IllegalStateException if a page of the run is already in the pool (a page freed twice): nothing is
     *                               added.
     */
    public void append(final long start, final long end)
    {
        lock.lock();
        try
        {
            free.add(start, end);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * {@return the number of free pages in the pool (not counting those writers hold)}
     */
    public long freePages()
    {
        lock.lock();
        try
        {
            return free.pages();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * {@return the free runs of the pool, ascending, as {@code {start0, end0, start1, end1, ...}}}
     */
    public long[] runs()
    {
        lock.lock();
        try
        {
            return free.toArray();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public String toString()
    {
        lock.lock();
        try
        {
            return "ExtentAllocator{pages=" + free.pages() + ", runs=" + free.runs() + ", longest=" +
                free.longestRun() + "}";
        }
        finally
        {
            lock.unlock();
        }
    }
}

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
 * One writer's share of the store's page counts, kept by that writer at its own transitions so that
 * {@code PageStore.stats()} costs no pass over the pages: the pages it holds ALLOCATED, and the pages it wrote and
 * neither discarded nor saw closed (WRITTEN or, once a checkpoint made them live, counted again by the checkpoint
 * coordinator's published count; see {@link ExtentAllocator#countLiveAndInFlight()}).
 *
 * <p><b>Thread safety:</b> single writer, many readers (Aeron's counters): only the owning writer's thread changes the
 * counts, each with a plain read and a release store (no compare-and-set, no shared cache line written by two
 * threads); readers load them with acquire. A write stores {@code allocated} before {@code written}, so a reader
 * that loads {@code written} first and {@code allocated} second never counts one page in both.
 */
public final class WriterCounts
{
    private static final VarHandle ALLOCATED;
    private static final VarHandle WRITTEN;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            ALLOCATED = lookup.findVarHandle(WriterCounts.class, "allocated", long.class);
            WRITTEN = lookup.findVarHandle(WriterCounts.class, "written", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private long allocated;
    private long written;

    /**
     * Creates the counts of a new writer: nothing allocated, nothing written.
     */
    public WriterCounts()
    {
    }

    /**
     * Counts {@code count} pages allocated: FREE (in the writer's extent) to ALLOCATED.
     *
     * @param count the pages.
     */
    public void allocated(final long count)
    {
        // Release: partner of the acquire in allocated(); single writer, so the plain read is this thread's own.
        ALLOCATED.setRelease(this, allocated + count);
    }

    /**
     * Counts one allocated page given back unwritten: ALLOCATED to FREE ({@code discard(long)}); call it before
     * the page goes back to the pool.
     *
     * @return the pages still allocated.
     */
    public long unallocated()
    {
        final long left = allocated - 1;
        // Release: partner of the acquire in allocated(); stored before the pool's lock hands the page to another
        // writer, whose count of it is read under that lock after this one (ExtentAllocator.countLiveAndInFlight).
        ALLOCATED.setRelease(this, left);
        return left;
    }

    /**
     * Counts one allocated page written: ALLOCATED to WRITTEN; call it before the page's WRITTEN state is stored.
     *
     * @return the pages still allocated.
     */
    public long wrote()
    {
        final long left = allocated - 1;
        // Release: partner of the acquire in allocated(). Stored before written's release, so a reader that sees the
        // new written count (acquire) then sees this page no longer allocated: never counted twice.
        ALLOCATED.setRelease(this, left);
        // Release: partner of the acquire in written(). Stored before the page's WRITTEN state (released by
        // PageTable.written's compare-and-set, acquired by the checkpoint that publishes the page and then counts it
        // in its published count with a release): a reader that sees the published count sees this write counted.
        WRITTEN.setRelease(this, written + 1);
        return left;
    }

    /**
     * Counts one written page discarded: WRITTEN to FREE ({@code discard(PageReceipt)}); call it before the page goes
     * back to the pool.
     */
    public void discardedWrite()
    {
        // Release: partner of the acquire in written(); stored before the pool's lock hands the page on.
        WRITTEN.setRelease(this, written - 1);
    }

    /**
     * Counts every allocated page given back at once: the writer's close, which frees them all.
     */
    public void unallocatedAll()
    {
        // Release: partner of the acquire in allocated(); stored before close gives the pages back to the pool.
        ALLOCATED.setRelease(this, 0L);
    }

    /**
     * {@return the pages the writer holds ALLOCATED, plain: for the owning writer's thread only}
     */
    public long allocatedPlain()
    {
        return allocated;
    }

    /**
     * {@return the pages the writer holds ALLOCATED, with acquire ordering}
     */
    public long allocated()
    {
        // Acquire: partner of the release stores in allocated(long), unallocated(), wrote() and unallocatedAll().
        return (long)ALLOCATED.getAcquire(this);
    }

    /**
     * {@return the pages the writer wrote and did not discard, with acquire ordering; those a checkpoint made live
     * since included}
     */
    public long written()
    {
        // Acquire: partner of the release stores in wrote() and discardedWrite().
        return (long)WRITTEN.getAcquire(this);
    }

    @Override
    public String toString()
    {
        return "WriterCounts{allocated=" + allocated() + ", written=" + written() + "}";
    }
}

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
package io.rangedmmap.mmap;

import io.rangedmmap.mmap.internal.MappedRegion;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * A wait-free {@link RangeAllocator} for any number of threads: each allocation is one atomic add on a counter,
 * never a compare-and-set loop, so every call finishes in a bounded number of steps however many threads contend.
 *
 * <p>As in Aeron's log append, a request first claims its space with {@code getAndAdd}, then checks for
 * overshoot: a claim that starts past the end gets nothing, one that straddles the end gets what is left. Two
 * claims never overlap, because the counter only grows. Each request is clamped to the file's size before the add
 * and the add is skipped once the counter is past the end, so overshoot is bounded by one file size per
 * concurrently overshooting thread and the counter can never wrap around into the file, however large the
 * requests.
 *
 * <p>{@link #allocateExact(long)} that does not fit still consumed its claim: near the end of the file, a failed
 * exact request may leave the tail unallocated, like the padding at the end of an Aeron term.
 *
 * <p><b>Thread safety:</b> all methods are safe from any number of threads.
 */
public final class ConcurrentAllocator implements RangeAllocator
{
    private static final VarHandle NEXT;
    private static final VarHandle EXHAUSTED;

    static
    {
        try
        {
            NEXT = MethodHandles.lookup().findVarHandle(ConcurrentAllocator.class, "next", long.class);
            EXHAUSTED = MethodHandles.lookup().findVarHandle(ConcurrentAllocator.class, "exhausted", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final MappedRegion region;
    private final long totalSize;

    /**
     * Set once by the first claim that reaches the end. It sits with the final fields, away from the counter: until
     * the file is full its line is only ever read, so every core keeps it cached and the check costs no transfer of
     * the counter's contended line (reading the counter before adding cost a second transfer per call).
     */
    @SuppressWarnings("unused")
    private boolean exhausted;

    // Padding keeps the contended counter off the cache line of the final fields every allocation reads.
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    @SuppressWarnings("unused")
    private long next;
    @SuppressWarnings("unused")
    private long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;

    ConcurrentAllocator(final MappedRegion region, final long start)
    {
        this.region = region;
        this.totalSize = region.size();
        // Release: the allocator is published to other threads after construction by the caller.
        NEXT.setRelease(this, start);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Optional<AllocatedRange> allocate(final long length)
    {
        final long want = Allocation.roundedRequest(length, totalSize);
        final long start = claim(want);
        if (start >= totalSize)
        {
            return Optional.empty();
        }
        return Optional.of(new AllocatedRange(region, start, Math.min(start + want, totalSize)));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Optional<AllocatedRange> allocateExact(final long length)
    {
        final long want = Allocation.roundedRequest(length, totalSize);
        if (length > totalSize)
        {
            return Optional.empty();
        }
        final long start = claim(want);
        final long end = Allocation.exactEnd(start, want, length, totalSize);
        if (end < 0)
        {
            return Optional.empty();
        }
        return Optional.of(new AllocatedRange(region, start, end));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long remaining()
    {
        // Acquire pairs with the getAndAdd of claim(): a snapshot of what other threads have claimed.
        return Math.max(0, totalSize - (long)NEXT.getAcquire(this));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long totalSize()
    {
        return totalSize;
    }

    private long claim(final long want)
    {
        // Once the file is exhausted, stop adding, so the counter stays bounded: only the threads already between
        // this check and their add when the end was reached can overshoot, each by at most the file's size.
        if ((boolean)EXHAUSTED.getAcquire(this))
        {
            return totalSize;
        }
        // The one atomic add that makes claims disjoint: each caller gets [start, start + want) to itself.
        final long start = (long)NEXT.getAndAdd(this, want);
        if (start + want >= totalSize)
        {
            // Release pairs with the acquire above; a plain flag would do for correctness, the add is what matters.
            EXHAUSTED.setRelease(this, true);
        }
        return start;
    }

    @Override
    public String toString()
    {
        return "ConcurrentAllocator{next=" + (long)NEXT.getAcquire(this) + ", totalSize=" + totalSize +
            ", file=" + region.path() + "}";
    }
}

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

import java.util.Optional;

/**
 * A {@link RangeAllocator} for one thread: plain fields, no atomics.
 *
 * <p><b>Thread safety:</b> not thread-safe; use it from one thread at a time (ranges it hands out may be written
 * by any thread). For several allocating threads use {@link AllocatorType#CONCURRENT}.
 */
public final class SequentialAllocator implements RangeAllocator
{
    private final MappedRegion region;
    private final long totalSize;
    private long next;

    SequentialAllocator(final MappedRegion region, final long start)
    {
        this.region = region;
        this.totalSize = region.size();
        this.next = start;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Optional<AllocatedRange> allocate(final long length)
    {
        final long want = Allocation.roundedRequest(length, totalSize);
        final long start = next;
        if (start >= totalSize)
        {
            return Optional.empty();
        }
        final long end = Math.min(start + want, totalSize);
        next = end;
        return Optional.of(new AllocatedRange(region, start, end));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public Optional<AllocatedRange> allocateExact(final long length)
    {
        final long want = Allocation.roundedRequest(length, totalSize);
        final long start = next;
        final long end = Allocation.exactEnd(start, want, length, totalSize);
        if (end < 0)
        {
            return Optional.empty();
        }
        next = end;
        return Optional.of(new AllocatedRange(region, start, end));
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long remaining()
    {
        return Math.max(0, totalSize - next);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public long totalSize()
    {
        return totalSize;
    }

    @Override
    public String toString()
    {
        return "SequentialAllocator{next=" + next + ", totalSize=" + totalSize + ", file=" + region.path() + "}";
    }
}

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

/**
 * Which {@link RangeAllocator} a file comes with: {@link #SEQUENTIAL} for one allocating thread,
 * {@link #CONCURRENT} for many.
 *
 * @param <A> the allocator class.
 */
public final class AllocatorType<A extends RangeAllocator>
{
    /**
     * A {@link SequentialAllocator}: plain fields, for one allocating thread.
     */
    public static final AllocatorType<SequentialAllocator> SEQUENTIAL =
        new AllocatorType<>("SEQUENTIAL", SequentialAllocator::new);

    /**
     * A {@link ConcurrentAllocator}: wait-free, one atomic add per allocation, for any number of threads.
     */
    public static final AllocatorType<ConcurrentAllocator> CONCURRENT =
        new AllocatorType<>("CONCURRENT", ConcurrentAllocator::new);

    @FunctionalInterface
    interface Factory<A extends RangeAllocator>
    {
        A newAllocator(MappedRegion region, long start);
    }

    private final String name;
    private final Factory<A> factory;

    private AllocatorType(final String name, final Factory<A> factory)
    {
        this.name = name;
        this.factory = factory;
    }

    A newAllocator(final MappedRegion region, final long start)
    {
        return factory.newAllocator(region, start);
    }

    @Override
    public String toString()
    {
        return name;
    }
}

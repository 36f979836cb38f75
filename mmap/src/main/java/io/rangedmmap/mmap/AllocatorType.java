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

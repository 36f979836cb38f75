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
 * The store's pool of free pages, from which writers claim extents with one atomic add and no lock.
 *
 * <p>The pool is a queue of immutable generations, each a sorted array of free runs with a claim cursor over their
 * concatenation. A claim of {@code n} pages is one {@code getAndAdd(n)} on the head generation's cursor: the pages
 * at {@code [cursor, cursor + n)} of the concatenation are the caller's, possibly in several pieces where runs
 * end. A generation whose cursor is past its end is exhausted and the claim moves to the next one. New free pages
 * (those of a durable checkpoint's frees, those a closing writer never used) are appended as a new generation, so a
 * page is never in two places at once and writers never wait for the code that publishes pages.
 *
 * <p><b>Thread safety:</b> {@link #claim(long, Runs)} and {@link #append(Runs)} from any threads.
 */
public final class ExtentAllocator
{
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(ExtentAllocator.class, "head", Generation.class);
            TAIL = lookup.findVarHandle(ExtentAllocator.class, "tail", Generation.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private Generation head;
    private Generation tail;

    /**
     * Creates a pool holding {@code free}.
     *
     * @param free the free runs, ascending.
     */
    public ExtentAllocator(final Runs free)
    {
        final Generation first = new Generation(free);
        HEAD.setRelease(this, first);
        TAIL.setRelease(this, first);
    }

    /**
     * Claims up to {@code n} free pages and adds them to {@code into} as one or more runs.
     *
     * @param n    the pages wanted, at least 1.
     * @param into where the claimed runs go.
     * @return the number of pages claimed, from 0 (the pool is empty) to {@code n}.
     */
    public long claim(final long n, final Runs into)
    {
        // Acquire: partner of the release CAS that made a generation the head or linked it in append.
        Generation generation = (Generation)HEAD.getAcquire(this);
        while (true)
        {
            final long claimed = generation.claim(n, into);
            if (claimed > 0)
            {
                return claimed;
            }
            final Generation next = generation.next();
            if (null == next)
            {
                return 0;
            }
            HEAD.compareAndSet(this, generation, next);
            generation = next;
        }
    }

    /**
     * Adds free runs to the pool as a new generation.
     *
     * @param free the runs, ascending; nothing happens if empty.
     */
    public void append(final Runs free)
    {
        if (0 == free.count())
        {
            return;
        }
        final Generation generation = new Generation(free);
        while (true)
        {
            final Generation last = (Generation)TAIL.getAcquire(this);
            final Generation next = last.next();
            if (null == next)
            {
                if (last.link(generation))
                {
                    TAIL.compareAndSet(this, last, generation);
                    return;
                }
            }
            else
            {
                TAIL.compareAndSet(this, last, next);
            }
        }
    }

    private static final class Generation
    {
        private static final VarHandle CURSOR;
        private static final VarHandle NEXT;

        static
        {
            try
            {
                final MethodHandles.Lookup lookup = MethodHandles.lookup();
                CURSOR = lookup.findVarHandle(Generation.class, "cursor", long.class);
                NEXT = lookup.findVarHandle(Generation.class, "next", Generation.class);
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new ExceptionInInitializerError(ex);
            }
        }

        private final long[] starts;
        private final long[] cumulativeEnds;
        private final long total;
        private long cursor;
        private Generation next;

        Generation(final Runs runs)
        {
            final int count = runs.count();
            starts = new long[count];
            cumulativeEnds = new long[count];
            long sum = 0;
            for (int i = 0; i < count; i++)
            {
                starts[i] = runs.start(i);
                sum += runs.end(i) - runs.start(i);
                cumulativeEnds[i] = sum;
            }
            total = sum;
        }

        long claim(final long n, final Runs into)
        {
            // Skip the add once exhausted, so overshoot stays bounded by the claims in flight.
            if ((long)CURSOR.getAcquire(this) >= total)
            {
                return 0;
            }
            final long from = (long)CURSOR.getAndAdd(this, n);
            if (from >= total)
            {
                return 0;
            }
            final long to = Math.min(total, from + n);
            int run = runOf(from);
            long position = from;
            while (position < to)
            {
                final long runFirst = 0 == run ? 0 : cumulativeEnds[run - 1];
                final long upTo = Math.min(to, cumulativeEnds[run]);
                final long start = starts[run] + (position - runFirst);
                into.add(start, start + (upTo - position));
                position = upTo;
                run++;
            }
            return to - from;
        }

        Generation next()
        {
            // Acquire: partner of the CAS in link, so the linked generation's arrays are visible.
            return (Generation)NEXT.getAcquire(this);
        }

        boolean link(final Generation generation)
        {
            return NEXT.compareAndSet(this, null, generation);
        }

        private int runOf(final long position)
        {
            int low = 0;
            int high = cumulativeEnds.length - 1;
            while (low < high)
            {
                final int mid = (low + high) >>> 1;
                if (cumulativeEnds[mid] > position)
                {
                    high = mid;
                }
                else
                {
                    low = mid + 1;
                }
            }
            return low;
        }
    }
}

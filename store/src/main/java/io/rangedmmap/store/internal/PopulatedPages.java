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

import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The user pages faulted in writable ahead of time ({@code PageStore.advise} with {@code POPULATE_WRITE}) since the
 * last checkpoint: a hint for the writers' copying writes, which go through the mapping into these pages (a plain
 * copy, no fault, and it scales with threads) and by {@code pwrite} into every other page (no fault either, where a
 * write through the mapping would take one). A checkpoint's flush write-protects the mapping entries of the pages it
 * writes back, so each checkpoint forgets them all; a page forgotten too early, or remembered too long (the kernel
 * wrote it back by itself), only costs a fault or a system call, never a byte.
 *
 * <p><b>Thread safety:</b> any thread. {@link #contains(long)} allocates nothing and takes no lock while no page is
 * remembered, the common case.
 */
public final class PopulatedPages
{
    /**
     * First page of each run to the end of the run (exclusive); runs may overlap, then a page of an overlapped run
     * may be missed (a hint, see above).
     */
    private final ConcurrentSkipListMap<Long, Long> runs = new ConcurrentSkipListMap<>();
    // Volatile: read by every copying write; set after the run is in the map, so a write that sees it finds the run.
    private volatile boolean any;

    /**
     * Creates an empty set: a store remembers no page at open.
     */
    public PopulatedPages()
    {
    }

    /**
     * Remembers {@code [first, end)} as faulted in writable.
     *
     * @param first the first page.
     * @param end   the page after the last.
     */
    public void add(final long first, final long end)
    {
        runs.merge(first, end, Math::max);
        any = true;
    }

    /**
     * {@return whether {@code page} was faulted in writable since the last checkpoint}
     *
     * @param page the page.
     */
    public boolean contains(final long page)
    {
        if (!any)
        {
            return false;
        }
        final Long first = runs.floorKey(page);
        if (null == first)
        {
            return false;
        }
        final Long end = runs.get(first);
        return null != end && page < end;
    }

    /**
     * Forgets every page: a checkpoint's flush wrote them back, or may have.
     */
    public void clear()
    {
        if (any)
        {
            any = false;
            runs.clear();
        }
    }
}

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

import org.agrona.collections.IntArrayList;

/**
 * Hands out the ids of a store's writers, which mark the pages each has allocated, so that no two writers that can
 * both be alive ever share one: an id comes back only when its writer closes (after its allocated pages are free
 * again), and when every id is taken {@link #acquire()} refuses rather than reuse one.
 *
 * <p>Ids live in {@code [1, capacity]}; the store uses {@link PageTable#MAX_OWNER}, the most that fit in a page's
 * state word. A writer that is never closed keeps its id, as it keeps its claimed pages.
 *
 * <p><b>Thread safety:</b> all methods from any thread (one lock; taken once per writer, not per page).
 */
public final class WriterIds
{
    private final int capacity;
    private final IntArrayList released = new IntArrayList();
    private int next = 1;

    /**
     * Creates the ids {@code [1, capacity]}, all free.
     *
     * @param capacity the largest id.
     */
    public WriterIds(final int capacity)
    {
        if (capacity < 1 || capacity > PageTable.MAX_OWNER)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " must be in [1, " + PageTable.MAX_OWNER +
                "]");
        }
        this.capacity = capacity;
    }

    /**
     * {@return an id no open writer holds}
     *
     * @throws IllegalStateException if every id is held by an open writer.
     */
    public synchronized int acquire()
    {
        if (!released.isEmpty())
        {
            return released.popInt();
        }
        if (next > capacity)
        {
            throw new IllegalStateException("all " + capacity + " writer ids are held by open writers; close " +
                "writers that are no longer used (each open writer also holds the pages it claimed)");
        }
        return next++;
    }

    /**
     * Returns an id, once no page is marked with it any more.
     *
     * @param id an id from {@link #acquire()}, returned once.
     */
    public synchronized void release(final int id)
    {
        released.pushInt(id);
    }
}

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

/**
 * Loads one group of a {@link PageTable} that the open left unloaded, at the group's first touch: reads and checks
 * its metadata page as the open would have, fills its entries and sequence, and hands its free pages to the pool.
 *
 * <p><b>Thread safety:</b> called by one thread at a time for a given group (the table's gate elects it), by any
 * threads for different groups.
 */
public interface GroupLoader
{
    /**
     * Loads a group: fills its live entries ({@code PageTable.loadLive}) and its sequence
     * ({@code PageTable.setGroupSequence}); the table publishes the group after this returns.
     *
     * @param table the table.
     * @param group the group, below {@link PageTable#lazyGroups()}.
     * @throws RuntimeException if its metadata page fails its check or cannot be read: the store has failed (the
     *                          loader recorded it) and the group is never loaded.
     */
    void load(PageTable table, long group);

    /**
     * {@return the exception for a call that touches a group whose load failed}: the store's failure.
     *
     * @param group the group.
     */
    RuntimeException failed(long group);
}

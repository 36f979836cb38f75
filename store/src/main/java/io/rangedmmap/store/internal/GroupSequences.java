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
 * For each group of pages (one metadata page), an upper bound of the last checkpoint that changed it before the
 * store was opened: the sequence carried by the group's metadata page in the copy the store opened at (a checkpoint
 * writes the metadata page of every group it changes, and the next one writes the other copy's: see
 * {@link Checkpointer}). What {@link PageChanges} needs of the open, behind one method, so that the open may supply
 * it however it reads the metadata: the store's {@link PageTable#groupSequence(long)}, which loads a group a lazy open
 * left unloaded at its first touch.
 *
 * <p><b>Thread safety:</b> read by any thread; an implementation is immutable or safe to read concurrently.
 */
@FunctionalInterface
public interface GroupSequences
{
    /**
     * The answer for a group no page of which was ever live: it never changed.
     */
    long NONE = Long.MIN_VALUE;

    /**
     * {@return the sequence of the group's metadata page in the copy the store opened at, or {@link #NONE} if no
     * page of the group was ever live}
     *
     * @param group the group (its metadata page's index).
     */
    long sequenceOf(long group);
}

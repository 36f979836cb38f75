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
package io.rangedmmap.store;

/**
 * A snapshot of a store's page counts, returned by {@link PageStore#stats()}. The counts are exact when no writer
 * call, checkpoint or free is in progress; taken while some are, a page changing state meanwhile may be counted in
 * its old or its new state, or not at all, but never twice, and no count is negative;
 * {@code livePages + freePages + inFlightPages == pageCount} always holds.
 *
 * @param pageCount      the number of user pages of the store.
 * @param livePages      pages live in the last durable checkpoint (including those with a staged free).
 * @param freePages      pages neither live nor in flight.
 * @param inFlightPages  pages allocated by a writer, written or not, and in no completed checkpoint yet.
 * @param lastCheckpoint the sequence of the last durable checkpoint, 0 for a new store.
 * @param maxPages       the largest number of user pages the store may grow to; {@code pageCount} if it keeps its
 *                       size.
 * @param openSnapshots  the number of {@link StoreSnapshot}s open.
 * @param oldestPinnedSequence the checkpoint the oldest open snapshot pins, or -1 if none is open.
 * @param freedPagesWaiting pages freed by a durable checkpoint whose space is not reused yet because an open snapshot
 *                       can still see them (counted among {@code freePages}): a number that keeps growing points to
 *                       a snapshot left open.
 * @param writtenPages   of the pages in flight, those written: each has a receipt that is neither checkpointed nor
 *                       discarded yet ({@link PageWriter#discard(PageReceipt)}). They are free again only after a
 *                       discard or a reopen, so a count that keeps growing shows receipts an engine dropped.
 */
public record StoreStats(long pageCount, long livePages, long freePages, long inFlightPages, long lastCheckpoint,
    long maxPages, long openSnapshots, long oldestPinnedSequence, long freedPagesWaiting, long writtenPages)
{
    /**
     * The counts of a store that keeps its size ({@code maxPages == pageCount}), has no open snapshot and no written
     * page in flight.
     *
     * @param pageCount      the number of user pages of the store.
     * @param livePages      pages live in the last durable checkpoint (including those with a staged free).
     * @param freePages      pages neither live nor in flight.
     * @param inFlightPages  pages allocated by a writer, written or not, and in no completed checkpoint yet.
     * @param lastCheckpoint the sequence of the last durable checkpoint, 0 for a new store.
     */
    public StoreStats(final long pageCount, final long livePages, final long freePages, final long inFlightPages,
        final long lastCheckpoint)
    {
        this(pageCount, livePages, freePages, inFlightPages, lastCheckpoint, pageCount, 0, -1, 0, 0);
    }

    /**
     * The counts of a store that keeps its size ({@code maxPages == pageCount}) and has no open snapshot.
     *
     * @param pageCount      the number of user pages of the store.
     * @param livePages      pages live in the last durable checkpoint (including those with a staged free).
     * @param freePages      pages neither live nor in flight.
     * @param inFlightPages  pages allocated by a writer, written or not, and in no completed checkpoint yet.
     * @param lastCheckpoint the sequence of the last durable checkpoint, 0 for a new store.
     * @param writtenPages   of the pages in flight, those written and neither checkpointed nor discarded.
     */
    public StoreStats(final long pageCount, final long livePages, final long freePages, final long inFlightPages,
        final long lastCheckpoint, final long writtenPages)
    {
        this(pageCount, livePages, freePages, inFlightPages, lastCheckpoint, pageCount, 0, -1, 0, writtenPages);
    }
}

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
 * A snapshot of a store's page counts, returned by {@link PageStore#stats()}. Taken while writers run, the counts
 * are each exact for some instant but may not add up to one instant; {@code livePages + freePages + inFlightPages
 * == pageCount} always holds.
 *
 * @param pageCount      the number of user pages of the store.
 * @param livePages      pages live in the last durable checkpoint (including those with a staged free).
 * @param freePages      pages neither live nor in flight.
 * @param inFlightPages  pages allocated by a writer, written or not, and in no completed checkpoint yet.
 * @param lastCheckpoint the sequence of the last durable checkpoint, 0 for a new store.
 * @param writtenPages   of the pages in flight, those written: each has a receipt that is neither checkpointed nor
 *                       discarded yet ({@link PageWriter#discard(PageReceipt)}). They are free again only after a
 *                       discard or a reopen, so a count that keeps growing shows receipts an engine dropped.
 */
public record StoreStats(long pageCount, long livePages, long freePages, long inFlightPages, long lastCheckpoint,
    long writtenPages)
{
}

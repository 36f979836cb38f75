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
 */
public record StoreStats(long pageCount, long livePages, long freePages, long inFlightPages, long lastCheckpoint)
{
}

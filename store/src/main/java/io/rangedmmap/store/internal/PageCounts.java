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

import java.util.ArrayList;
import java.util.List;

/**
 * The store's page counts by state, kept at each change of state so that {@code PageStore.stats()} makes no pass over
 * the pages: the checkpoints' live and published counts, the open writers' {@link WriterCounts}, and the pages the
 * closed writers wrote and did not discard.
 *
 * <p>LIVE and FREEING pages are counted by the checkpoints: the count the store opened at ({@code livePages} of its
 * superblock, which recovery checked against the metadata it loaded), then each durable checkpoint's new total (its
 * pages made live, less its frees made FREE). ALLOCATED pages are counted by their writer. WRITTEN pages are the
 * pages the writers wrote and did not discard, less those the checkpoints published (WRITTEN to LIVE): the writers
 * count their writes and the checkpoints their publications, so no counter is shared between threads.
 *
 * <p><b>Thread safety:</b> not thread-safe: {@link ExtentAllocator}'s lock guards every call. That lock is also the
 * one a page passes through between writers (given back to the pool, then claimed), and between a checkpoint's
 * frees and a writer, so a sum under it never counts a page twice (see {@link #countLiveAndInFlight()}).
 */
final class PageCounts
{
    private final List<WriterCounts> writers = new ArrayList<>();
    private long livePages;
    private long publishedPages;
    private long closedWritten;

    /**
     * Creates the counts of a store that opened with {@code livePages} live pages and no writer.
     *
     * @param livePages the live pages of the checkpoint the store opened at.
     */
    PageCounts(final long livePages)
    {
        this.livePages = livePages;
    }

    /**
     * Adds an open writer's counts.
     *
     * @param counts the writer's counts, zero.
     */
    void register(final WriterCounts counts)
    {
        writers.add(counts);
    }

    /**
     * Forgets a closing writer's counts, and folds the pages it wrote and did not discard into the closed writers'
     * total: one step under the lock, so a sum counts them exactly once.
     *
     * @param counts the writer's counts, with no page allocated any more.
     */
    void unregister(final WriterCounts counts)
    {
        if (writers.remove(counts))
        {
            closedWritten += counts.written();
        }
    }

    /**
     * Counts a durable checkpoint once its page states are published, before its frees reach the pool.
     *
     * @param published the pages it moved from WRITTEN to LIVE.
     * @param live      the live pages after it (LIVE or FREEING).
     */
    void checkpointed(final long published, final long live)
    {
        publishedPages += published;
        livePages = live;
    }

    /**
     * Sums the counts: O(open writers). Each writer's written count is loaded before its allocated count, with
     * acquire (see {@link WriterCounts}). The checkpoint counts cannot change meanwhile (the lock), and each write
     * they count as published was counted by its writer before the page's WRITTEN state was released, which the
     * publishing checkpoint acquired before it took the lock: written minus published is never negative.
     *
     * @return {@code {live, inFlight, written}}: LIVE or FREEING pages, ALLOCATED or WRITTEN pages, and of these
     *         the WRITTEN ones, as {@link PageTable#countLiveAndInFlight()} counts them when nothing changes.
     */
    long[] countLiveAndInFlight()
    {
        long allocated = 0;
        long written = closedWritten;
        for (int i = 0; i < writers.size(); i++)
        {
            final WriterCounts counts = writers.get(i);
            written += counts.written();
            allocated += counts.allocated();
        }
        written -= publishedPages;
        return new long[]{livePages, allocated + written, written};
    }
}

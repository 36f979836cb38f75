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
 * For each user page, the checkpoint that made its current bytes live and the checkpoint that freed them: what a
 * snapshot pinned at checkpoint {@code S} needs to tell whether a page was live at {@code S} ({@code liveSince <= S
 * < freedAt}). Its CRC32C comes from the store's {@link PageCrcs}: a page live at {@code S} keeps its bytes and CRC
 * while any snapshot that can see it is open, because its space is not reused until then (see
 * {@link SnapshotRegistry}).
 *
 * <p>Two {@code long}s a page on the heap (16 bytes, beside the page table's 8). A page live when the store was
 * opened is recorded as live since {@link #BEFORE_OPEN}: every snapshot of this store instance sees it, and how long
 * it has been unchanged is known only from the checkpoint the store opened at.
 *
 * <p><b>Thread safety:</b> written only by the checkpoint leader (one at a time), read by any thread. A page made
 * live again writes {@code liveSince} before {@code freedAt} (both release); a reader loads {@code freedAt} before
 * {@code liveSince} (both acquire), so a reader that sees the new {@code freedAt} also sees the new {@code liveSince}.
 * Every value written after a snapshot at {@code S} was pinned is above {@code S}, so a torn pair never makes a page
 * visible that was not live at {@code S}.
 */
public final class PageLifetimes implements PageCrcs
{
    /**
     * The {@code liveSince} of a page live when the store was opened.
     */
    public static final long BEFORE_OPEN = -1;

    private static final long NEVER = Long.MAX_VALUE;
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    private final PageCrcs crcs;
    private final long openSequence;
    private final long[] words;

    /**
     * Records the pages live when the store was opened.
     *
     * @param table        the page table, as recovered: LIVE or FREE pages.
     * @param openSequence the checkpoint the store opened at.
     */
    public PageLifetimes(final PageTable table, final long openSequence)
    {
        this.crcs = table;
        this.openSequence = openSequence;
        this.words = new long[2 * table.size()];
        for (int page = 0; page < table.size(); page++)
        {
            final boolean live = PageTable.LIVE == PageTable.stateOf(table.statePlain(page));
            words[2 * page] = live ? BEFORE_OPEN : NEVER;
            words[2 * page + 1] = NEVER;
        }
    }

    @Override
    public int crc(final int page)
    {
        return crcs.crc(page);
    }

    /**
     * {@return whether the page was live in checkpoint {@code sequence}}
     *
     * @param page     the page.
     * @param sequence the checkpoint, pinned by an open snapshot.
     */
    public boolean liveAt(final int page, final long sequence)
    {
        // Acquire: partner of the release of freedAt in madeLive; liveSince read after it is at least as new.
        final long freedAt = (long)WORDS.getAcquire(words, 2 * page + 1);
        final long liveSince = (long)WORDS.getAcquire(words, 2 * page);
        return liveSince <= sequence && sequence < freedAt;
    }

    /**
     * {@return whether a page live now has had its bytes since checkpoint {@code sequence} or earlier, or
     * {@code false} if that is not known (it was live when the store was opened, after {@code sequence})}
     *
     * @param page     a page live in the pinned checkpoint.
     * @param sequence an earlier checkpoint.
     */
    public boolean unchangedSince(final int page, final long sequence)
    {
        final long liveSince = (long)WORDS.getAcquire(words, 2 * page);
        return BEFORE_OPEN == liveSince ? openSequence <= sequence : liveSince <= sequence;
    }

    /**
     * Records that checkpoint {@code sequence} made the page live; before the checkpoint is published.
     *
     * @param page     the page.
     * @param sequence the checkpoint.
     */
    public void madeLive(final int page, final long sequence)
    {
        // Release, liveSince first: a reader that sees the new freedAt (acquire in liveAt) sees the new liveSince.
        WORDS.setRelease(words, 2 * page, sequence);
        WORDS.setRelease(words, 2 * page + 1, NEVER);
    }

    /**
     * Records that checkpoint {@code sequence} freed the page; before the checkpoint is published.
     *
     * @param page     the page.
     * @param sequence the checkpoint.
     */
    public void freed(final int page, final long sequence)
    {
        // Release: partner of the acquire in liveAt.
        WORDS.setRelease(words, 2 * page + 1, sequence);
    }
}

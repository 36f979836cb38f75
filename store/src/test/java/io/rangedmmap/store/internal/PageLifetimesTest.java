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

import io.rangedmmap.store.internal.format.StoreLayout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageLifetimesTest
{
    private static final long PAGES = 2L * StoreLayout.GROUP_USER_PAGES + 7;

    @Test
    void shouldCopyTheCrc32cOfThePagesLiveAtOpen()
    {
        final PageTable table = new PageTable(PAGES);
        for (long page = 0; page < PAGES; page += 3)
        {
            table.setCrc(page, crcOf(page));
            table.setStateRelease(page, PageTable.withState(PageTable.writtenWith(1), PageTable.LIVE));
        }
        final PageLifetimes lifetimes = new PageLifetimes(table, new long[]{4, 9, 6});
        for (long page = 0; page < PAGES; page++)
        {
            final boolean live = 0 == page % 3;
            final long since = new long[]{4, 9, 6}[(int)(page / StoreLayout.GROUP_USER_PAGES)];
            assertEquals(live, lifetimes.liveAt(page, since), "page " + page);
            assertFalse(lifetimes.liveAt(page, since - 1), "page " + page);
            assertEquals(live ? crcOf(page) : 0, lifetimes.crc(page), "page " + page);
        }
    }

    @Test
    void shouldKeepTheCrc32cOfTheBytesMadeLiveUntilThePageIsMadeLiveAgain()
    {
        final PageTable table = new PageTable(PAGES);
        final PageLifetimes lifetimes = new PageLifetimes(table, new long[0]);
        final long page = StoreLayout.GROUP_USER_PAGES + 1;
        table.setCrc(page, 0x1234_5678);
        lifetimes.madeLive(page, 3);
        // Freed at 5 and written again: the page table has the new CRC, a snapshot at 3 or 4 the old one.
        lifetimes.freed(page, 5);
        table.setCrc(page, 0x0BAD_F00D);
        assertTrue(lifetimes.liveAt(page, 4));
        assertFalse(lifetimes.liveAt(page, 5));
        assertEquals(0x1234_5678, lifetimes.crc(page));

        lifetimes.madeLive(page, 8);
        assertFalse(lifetimes.liveAt(page, 7));
        assertTrue(lifetimes.liveAt(page, 8));
        assertEquals(0x0BAD_F00D, lifetimes.crc(page));
        assertEquals(0, lifetimes.crc(page - 1), "a neighbour's entry is untouched");
        assertEquals(0, lifetimes.crc(page + 1), "a neighbour's entry is untouched");
        assertTrue(lifetimes.groupChangedAfter(1, 7));
        assertFalse(lifetimes.groupChangedAfter(0, 0));
    }

    private static int crcOf(final long page)
    {
        return (int)(page * 0x9E3779B9L) | 1;
    }
}

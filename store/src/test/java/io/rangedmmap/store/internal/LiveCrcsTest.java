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

import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seqlock that tells a read raced by a checkpoint's publication from a corrupt page, and the copy a read takes a
 * live page's CRC32C from. The races themselves are run by {@code PageStoreReadRaceTest}; their windows (a few loads)
 * are too narrow to hit every decision reliably, so the decisions are checked here, one publication step at a time.
 */
class LiveCrcsTest
{
    @Test
    void shouldCallAMismatchCorruptionOnlyIfNoCheckpointWasPublishedDuringTheRead()
    {
        final LiveCrcs crcs = new LiveCrcs(null, 6);
        final long before = crcs.stamp();
        assertEquals(6, before);
        assertTrue(crcs.unchangedSince(before), "nothing published: a mismatch is corruption");

        crcs.beginPublish(7);
        assertFalse(crcs.unchangedSince(before), "the copy moved under the read");
        final long during = crcs.stamp();
        assertEquals(6, during, "the states of 7 are not all published yet");
        assertFalse(crcs.unchangedSince(during), "a read that began during a publication reads again");

        crcs.endPublish(7);
        assertFalse(crcs.unchangedSince(before));
        assertFalse(crcs.unchangedSince(during));
        final long after = crcs.stamp();
        assertEquals(7, after);
        assertTrue(crcs.unchangedSince(after));
    }

    @Test
    void shouldTakeTheCrcFromTheCopyOfTheCheckpointBeingPublished()
    {
        final long page = 3L * MetadataPageDescriptor.ENTRIES_PER_PAGE + 17;
        final long group = LiveCrcs.spanStart(MetadataPageDescriptor.tablePageOf(page));
        final int index = 17;
        final UnsafeBuffer span = new UnsafeBuffer(new byte[LiveCrcs.spanLength(index)]);
        assertEquals(StoreLayout.dataOffsetOf(page) + StoreLayout.PAGE_SIZE, group + span.capacity(),
            "the span ends with the page");
        final UnsafeBuffer copy0 = new UnsafeBuffer(span, 0, StoreLayout.PAGE_SIZE);
        final UnsafeBuffer copy1 = new UnsafeBuffer(span, StoreLayout.PAGE_SIZE, StoreLayout.PAGE_SIZE);
        assertEquals(StoreLayout.metadataOffsetOf(1, MetadataPageDescriptor.tablePageOf(page)),
            group + StoreLayout.PAGE_SIZE, "the span starts at copy 0, copy 1 right after it");
        MetadataPageDescriptor.putEntry(copy0, page, MetadataPageDescriptor.FLAG_LIVE, 0xC0);
        MetadataPageDescriptor.putEntry(copy1, page, MetadataPageDescriptor.FLAG_LIVE, 0xC1);

        final LiveCrcs crcs = new LiveCrcs(null, 4);
        assertEquals(0xC0, crcs.crcIn(span, LiveCrcs.entryCrcOffset(index)), "checkpoint 4 wrote copy 0");
        crcs.beginPublish(5);
        assertEquals(0xC1, crcs.crcIn(span, LiveCrcs.entryCrcOffset(index)), "from the moment 5 starts publishing");
        crcs.endPublish(5);
        assertEquals(0xC1, crcs.crcIn(span, LiveCrcs.entryCrcOffset(index)));
    }
}

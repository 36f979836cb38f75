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

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PageCountsTest
{
    @Test
    void shouldStartAtTheLivePagesTheStoreOpenedWith()
    {
        assertArrayEquals(new long[]{7, 0, 0}, new PageCounts(7).countLiveAndInFlight());
    }

    @Test
    void shouldCountEachTransitionOnce()
    {
        final PageCounts counts = new PageCounts(10);
        final WriterCounts a = new WriterCounts();
        final WriterCounts b = new WriterCounts();
        counts.register(a);
        counts.register(b);
        a.allocated(4);
        b.allocated(2);
        assertArrayEquals(new long[]{10, 6, 0}, counts.countLiveAndInFlight());
        assertEquals(3, a.wrote());
        assertEquals(2, a.wrote());
        assertEquals(1, b.wrote());
        assertArrayEquals(new long[]{10, 6, 3}, counts.countLiveAndInFlight());
        assertEquals(1, a.unallocated());
        a.discardedWrite();
        assertArrayEquals(new long[]{10, 4, 2}, counts.countLiveAndInFlight());

        // A checkpoint publishes two written pages and frees three live ones.
        counts.checkpointed(2, 10 + 2 - 3);
        assertArrayEquals(new long[]{9, 2, 0}, counts.countLiveAndInFlight());
        b.wrote();
        assertArrayEquals(new long[]{9, 2, 1}, counts.countLiveAndInFlight());
    }

    @Test
    void shouldKeepTheWrittenPagesOfAClosedWriterAndForgetItOnce()
    {
        final PageCounts counts = new PageCounts(0);
        final WriterCounts writer = new WriterCounts();
        counts.register(writer);
        writer.allocated(5);
        writer.wrote();
        writer.wrote();
        writer.unallocatedAll();
        counts.unregister(writer);
        counts.unregister(writer);
        assertArrayEquals(new long[]{0, 2, 2}, counts.countLiveAndInFlight());
        // Its receipts can still be checkpointed once it is closed.
        counts.checkpointed(2, 2);
        assertArrayEquals(new long[]{2, 0, 0}, counts.countLiveAndInFlight());
    }
}

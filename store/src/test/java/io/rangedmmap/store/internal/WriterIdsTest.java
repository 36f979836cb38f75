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

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WriterIdsTest
{
    @Test
    void shouldNeverHandOutAHeldIdAndRefuseWhenAllAreHeld()
    {
        final WriterIds ids = new WriterIds(8);
        final Set<Integer> held = new HashSet<>();
        for (int i = 0; i < 8; i++)
        {
            assertTrue(held.add(ids.acquire()));
        }
        assertEquals(Set.of(1, 2, 3, 4, 5, 6, 7, 8), held);
        final IllegalStateException ex = assertThrowsExactly(IllegalStateException.class, ids::acquire);
        assertEquals("all 8 writer ids are held by open writers; close writers that are no longer used (each open " +
            "writer also holds the pages it claimed)", ex.getMessage());
        ids.release(5);
        assertEquals(5, ids.acquire());
        assertThrowsExactly(IllegalStateException.class, ids::acquire);
    }

    @Test
    void shouldKeepIdsSmallWhenWritersComeAndGo()
    {
        final WriterIds ids = new WriterIds(PageTable.MAX_OWNER);
        final int kept = ids.acquire();
        for (int i = 0; i < 1_000_000; i++)
        {
            ids.release(ids.acquire());
        }
        assertEquals(1, kept);
        assertEquals(2, ids.acquire());
    }

    @Test
    void shouldRefuseACapacityThatDoesNotFitTheStateWord()
    {
        assertThrowsExactly(IllegalArgumentException.class, () -> new WriterIds(0));
        assertThrowsExactly(IllegalArgumentException.class, () -> new WriterIds(PageTable.MAX_OWNER + 1));
        assertThrowsExactly(IllegalArgumentException.class, () -> PageTable.allocatedBy(PageTable.MAX_OWNER + 1));
    }
}

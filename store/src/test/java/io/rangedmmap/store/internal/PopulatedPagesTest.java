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

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hint of which pages were faulted in writable: runs are found by any page inside them and by none outside, a
 * later run over the same first page keeps the longer end, and a checkpoint's clear forgets them all.
 */
class PopulatedPagesTest
{
    @Test
    void shouldFindPagesInsideRunsOnly()
    {
        final PopulatedPages populated = new PopulatedPages();
        assertFalse(populated.contains(0), "empty at open");
        populated.add(10, 20);
        populated.add(100, 101);
        populated.add(10, 15);
        for (long page = 0; page < 200; page++)
        {
            final boolean inside = (page >= 10 && page < 20) || 100 == page;
            assertTrue(inside == populated.contains(page), "page " + page);
        }
        populated.clear();
        for (long page = 0; page < 200; page++)
        {
            assertFalse(populated.contains(page), "forgotten: page " + page);
        }
        populated.add(5, 6);
        assertTrue(populated.contains(5), "remembered again after a clear");
    }
}

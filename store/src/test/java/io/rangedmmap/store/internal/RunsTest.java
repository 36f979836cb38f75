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

import static org.junit.jupiter.api.Assertions.assertEquals;

class RunsTest
{
    @Test
    void shouldMergeARunThatContinuesTheLastOne()
    {
        final Runs runs = new Runs();
        runs.add(3, 5);
        runs.add(5, 9);
        runs.add(10, 11);
        assertEquals(2, runs.count());
        assertEquals("Runs{[3, 9), [10, 11)}", runs.toString());
        assertEquals(7, runs.pages());
    }

    @Test
    void shouldKeepRunsInTheOrderAddedWithoutSorting()
    {
        final Runs runs = new Runs();
        runs.add(10, 12);
        runs.add(2, 4);
        runs.add(4, 5);
        assertEquals("Runs{[10, 12), [2, 5)}", runs.toString());
    }

    @Test
    void shouldIgnoreAnEmptyOrInvertedRun()
    {
        final Runs runs = new Runs();
        runs.add(4, 4);
        runs.add(7, 3);
        assertEquals(0, runs.count());
        assertEquals(0, runs.pages());
        assertEquals(-1, runs.find(1));
    }

    @Test
    void shouldBuildRunsFromSortedPages()
    {
        final Runs runs = Runs.of(new long[]{0, 1, 2, 5, 7, 8});
        assertEquals("Runs{[0, 3), [5, 6), [7, 9)}", runs.toString());
        assertEquals(6, runs.pages());
    }

    @Test
    void shouldFindTheFirstRunLongEnough()
    {
        final Runs runs = Runs.of(new long[]{0, 2, 3, 5, 6, 7});
        assertEquals(0, runs.find(1));
        assertEquals(1, runs.find(2));
        assertEquals(2, runs.find(3));
        assertEquals(-1, runs.find(4));
    }

    @Test
    void shouldTakeFromTheFrontAndDropARunOnceEmpty()
    {
        final Runs runs = Runs.of(new long[]{0, 1, 2, 10, 11, 20});
        assertEquals(0, runs.take(0, 2));
        assertEquals("Runs{[2, 3), [10, 12), [20, 21)}", runs.toString());
        assertEquals(2, runs.take(0, 1));
        assertEquals("Runs{[10, 12), [20, 21)}", runs.toString());
        assertEquals(10, runs.take(0, 2));
        assertEquals(20, runs.take(0, 1));
        assertEquals(0, runs.count());
    }

    @Test
    void shouldGrowPastItsInitialCapacity()
    {
        final Runs runs = new Runs();
        for (long i = 0; i < 1_000; i++)
        {
            runs.add(2 * i, 2 * i + 1);
        }
        assertEquals(1_000, runs.count());
        assertEquals(1_000, runs.pages());
        assertEquals(1_998, runs.start(999));
        assertEquals(1_999, runs.end(999));
        runs.clear();
        assertEquals(0, runs.count());
        runs.add(5, 6);
        assertEquals("Runs{[5, 6)}", runs.toString());
    }
}

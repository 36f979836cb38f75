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
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void shouldFindTheFirstFitAndTakeLikeAPlainListOfRuns()
    {
        final Random random = new Random(9);
        for (int round = 0; round < 200; round++)
        {
            final Runs runs = new Runs();
            final List<long[]> model = new ArrayList<>();
            long next = 0;
            for (int op = 0; op < 400; op++)
            {
                final int kind = random.nextInt(3);
                if (0 == kind || model.isEmpty())
                {
                    final long start = next + random.nextInt(3);
                    final long end = start + 1 + random.nextInt(6);
                    runs.add(start, end);
                    if (!model.isEmpty() && model.getLast()[1] == start)
                    {
                        model.getLast()[1] = end;
                    }
                    else
                    {
                        model.add(new long[]{start, end});
                    }
                    next = end;
                }
                else
                {
                    final long length = 1 + random.nextInt(kind == 1 ? 1 : 7);
                    int expected = -1;
                    for (int i = 0; i < model.size() && expected < 0; i++)
                    {
                        if (model.get(i)[1] - model.get(i)[0] >= length)
                        {
                            expected = i;
                        }
                    }
                    final int found = runs.find(length);
                    assertEquals(expected < 0, found < 0, "round " + round + " op " + op);
                    if (found >= 0)
                    {
                        assertEquals(model.get(expected)[0], runs.start(found));
                        assertEquals(model.get(expected)[0], runs.take(found, length));
                        model.get(expected)[0] += length;
                    }
                }
                assertEquals(model.stream().mapToLong(r -> r[1] - r[0]).sum(), runs.pages());
            }
            final Runs copy = new Runs();
            runs.addTo(copy);
            final List<long[]> nonEmpty = model.stream().filter(r -> r[1] > r[0]).toList();
            assertEquals(nonEmpty.size(), copy.count());
            for (int i = 0; i < nonEmpty.size(); i++)
            {
                assertEquals(nonEmpty.get(i)[0], copy.start(i));
                assertEquals(nonEmpty.get(i)[1], copy.end(i));
            }
        }
    }

    /**
     * A writer holding the runs of a fragmented store: half a million one-page runs, every other one followed by a
     * gap, with one two-page run at the very end. Taking every page one by one, and asking for the two-page run
     * between takes, is O(log n) each: well under a second here. The former list shifted its arrays on each take
     * and scanned them on each search (about 400 µs a call at this size), which would take minutes: the bound is
     * generous enough for a loaded machine and still catches linear behaviour by a factor of 50 or more.
     */
    @Test
    @Timeout(120)
    void shouldStayLogarithmicInTheNumberOfRuns()
    {
        final int count = 1 << 19;
        final Runs runs = new Runs();
        for (int i = 0; i < count; i++)
        {
            runs.add(2L * i, 2L * i + 1);
        }
        runs.add(2L * count, 2L * count + 2);
        final long start = System.nanoTime();
        long taken = 0;
        for (int i = 0; i < count; i++)
        {
            if (0 == i % 16)
            {
                assertEquals(runs.count() - 1, runs.find(2));
            }
            final int run = runs.find(1);
            assertEquals(2L * i, runs.take(run, 1));
            taken++;
        }
        assertEquals(2L * count, runs.take(runs.find(2), 2));
        final long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(count, taken);
        assertEquals(-1, runs.find(1));
        assertEquals(0, runs.pages());
        assertTrue(millis < 10_000, "taking " + count + " one-page runs took " + millis + " ms: not O(log n)");
    }
}

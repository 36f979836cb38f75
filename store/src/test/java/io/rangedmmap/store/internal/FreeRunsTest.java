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

import java.util.BitSet;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

class FreeRunsTest
{
    @Test
    void shouldMergeARunWithBothNeighbours()
    {
        final FreeRuns free = new FreeRuns();
        free.add(0, 3);
        free.add(6, 9);
        free.add(20, 21);
        assertEquals(3, free.runs());
        free.add(3, 6);
        assertArrayEquals(new long[]{0, 9, 20, 21}, free.toArray());
        assertEquals(2, free.runs());
        assertEquals(10, free.pages());
        assertEquals(9, free.longestRun());
        free.add(5, 5);
        assertEquals("FreeRuns{[0, 9), [20, 21)}", free.toString());
    }

    @Test
    void shouldTakeFromTheLowestRunLongEnough()
    {
        final FreeRuns free = new FreeRuns();
        free.add(50, 60);
        free.add(0, 1);
        free.add(10, 14);
        final Runs into = new Runs();
        assertEquals(1, free.take(1, 8, into));
        assertEquals(4, free.take(2, 8, into));
        assertEquals(0, free.take(11, 11, into));
        assertEquals(3, free.take(3, 3, into));
        assertEquals("Runs{[0, 1), [10, 14), [50, 53)}", into.toString());
        assertArrayEquals(new long[]{53, 60}, free.toArray());
        assertEquals(7, free.longestRun());
    }

    @Test
    void shouldRefuseAnOverlapAndStayUnchanged()
    {
        final FreeRuns free = new FreeRuns();
        free.add(10, 20);
        assertEquals("pages [19, 21) are freed twice: [10, 20) is already free",
            assertThrowsExactly(IllegalStateException.class, () -> free.add(19, 21)).getMessage());
        assertEquals("pages [5, 11) are freed twice: [10, 20) is already free",
            assertThrowsExactly(IllegalStateException.class, () -> free.add(5, 11)).getMessage());
        assertThrowsExactly(IllegalStateException.class, () -> free.add(12, 13));
        assertThrowsExactly(IllegalStateException.class, () -> free.add(0, 100));
        assertArrayEquals(new long[]{10, 20}, free.toArray());
        assertEquals(10, free.pages());
    }

    /**
     * Random adds and takes, checked after each step against a bit set of free pages: the runs are exactly the
     * maximal runs of the model, and a take finds the lowest run of the count asked whenever the model has one.
     */
    @Test
    void shouldMatchABitSetModelOverRandomAddsAndTakes()
    {
        for (long seed = 0; seed < 200; seed++)
        {
            final Random random = new Random(seed);
            final int size = 16 + random.nextInt(500);
            final BitSet model = new BitSet(size);
            final FreeRuns free = new FreeRuns();
            final BitSet taken = new BitSet(size);
            taken.set(0, size);
            for (int step = 0; step < 400; step++)
            {
                if (random.nextBoolean())
                {
                    addRandomTakenRun(random, size, model, taken, free);
                }
                else
                {
                    final int count = 1 + random.nextInt(random.nextBoolean() ? 4 : 40);
                    final int want = count + random.nextInt(8);
                    final int lowest = lowestRun(model, count, size);
                    final Runs into = new Runs();
                    final long got = free.take(count, want, into);
                    if (lowest < 0)
                    {
                        assertEquals(0, got, "seed " + seed + " step " + step);
                        continue;
                    }
                    final int length = model.nextClearBit(lowest) - lowest;
                    assertEquals(Math.min(length, want), got, "seed " + seed + " step " + step);
                    assertEquals(lowest, into.start(0), "seed " + seed + " step " + step);
                    model.clear(lowest, (int)(lowest + got));
                    taken.set(lowest, (int)(lowest + got));
                }
                assertArrayEquals(runsOf(model, size), free.toArray(), "seed " + seed + " step " + step);
                assertEquals(model.cardinality(), free.pages(), "seed " + seed + " step " + step);
            }
        }
    }

    private static void addRandomTakenRun(final Random random, final int size, final BitSet model,
        final BitSet taken, final FreeRuns free)
    {
        final int from = taken.nextSetBit(random.nextInt(size));
        if (from < 0)
        {
            return;
        }
        final int limit = taken.nextClearBit(from);
        final int to = from + 1 + random.nextInt(limit - from);
        free.add(from, to);
        model.set(from, to);
        taken.clear(from, to);
    }

    private static int lowestRun(final BitSet model, final int count, final int size)
    {
        for (int start = model.nextSetBit(0); start >= 0 && start < size; start = model.nextSetBit(start))
        {
            final int end = model.nextClearBit(start);
            if (end - start >= count)
            {
                return start;
            }
            start = end;
        }
        return -1;
    }

    private static long[] runsOf(final BitSet model, final int size)
    {
        final long[] out = new long[2 * size];
        int at = 0;
        for (int start = model.nextSetBit(0); start >= 0; start = model.nextSetBit(start))
        {
            final int end = model.nextClearBit(start);
            out[at++] = start;
            out[at++] = end;
            start = end;
        }
        return java.util.Arrays.copyOf(out, at);
    }
}

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

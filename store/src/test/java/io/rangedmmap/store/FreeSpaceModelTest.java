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
package io.rangedmmap.store;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static io.rangedmmap.store.PageModel.ALLOCATED;
import static io.rangedmmap.store.PageModel.FREE;
import static io.rangedmmap.store.PageModel.FREEING;
import static io.rangedmmap.store.PageModel.LIVE;
import static io.rangedmmap.store.PageModel.WRITTEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The free space of fixed-size stores against a simple model: seeded random sequences of {@code allocate(n)},
 * {@code write}, {@code free}, {@code discard} (by receipt and by id), {@code checkpoint}, writer changes and
 * reopens, with one to three open writers used in turn. After each step the store's counts match the model's, and
 * {@code allocate(count)} by any writer succeeds exactly when the model has a run of {@code count} free pages
 * (whatever the history: no fragmentation survives a free, and free pages other writers hold in their extents count),
 * handing out only pages the model has free. After each reopen every live page reads back byte
 * for byte. A failure names its seed; rerun one with {@code -Dfreespace.seed=N}.
 *
 * <p>CI runs 10,000 sequences; the soak scale 200,000 ({@code -Psoak}).
 */
class FreeSpaceModelTest
{
    private static final int[] EXTENTS = {1, 2, 3, 8, StoreOptions.DEFAULT_EXTENT_PAGES};

    @TempDir
    Path dir;

    /**
     * A new, empty store of each page count, copied for each sequence: creating a store costs milliseconds (blocks
     * reserved, a temporary name linked into place), a copy and an open a fraction of one.
     */
    private final Map<Integer, Path> templates = new HashMap<>();

    @Test
    void shouldAllocateExactlyWhenTheModelHasARunOver10000Sequences() throws IOException
    {
        final String only = System.getProperty("freespace.seed");
        if (null != only)
        {
            sequence(Long.parseLong(only));
            return;
        }
        runSequences(0, 10_000);
    }

    @Test
    @Tag("soak")
    void shouldAllocateExactlyWhenTheModelHasARunOver200000Sequences() throws IOException
    {
        runSequences(1_000_000, 200_000);
    }

    private void runSequences(final long firstSeed, final int count) throws IOException
    {
        long steps = 0;
        for (long seed = firstSeed; seed < firstSeed + count; seed++)
        {
            try
            {
                steps += sequence(seed);
            }
            catch (final AssertionError | RuntimeException ex)
            {
                throw new AssertionError("free-space model sequence failed: seed=" + seed + " (rerun with " +
                    "-Dfreespace.seed=" + seed + ")", ex);
            }
        }
        System.out.println("free-space model: sequences=" + count + " steps=" + steps);
    }

    private long sequence(final long seed) throws IOException
    {
        final Random random = new Random(seed);
        final int pageCount = 4 + random.nextInt(61);
        final StoreOptions options = StoreOptions.defaults().withExtentPages(EXTENTS[random.nextInt(EXTENTS.length)]);
        final Path file = dir.resolve("model.store");
        final PageModel model = new PageModel(pageCount);
        final int steps = 10 + random.nextInt(50);
        Files.copy(template(pageCount), file);
        PageStore store = PageStore.open(file, options, NoFlushIo.INSTANCE);
        final PageWriter[] writers = new PageWriter[1 + random.nextInt(3)];
        PageModel.openWriters(store, writers);
        try
        {
            for (int step = 0; step < steps; step++)
            {
                final int w = random.nextInt(writers.length);
                final PageWriter writer = writers[w];
                final int action = random.nextInt(100);
                if (action < 30)
                {
                    allocate(random, writer, model);
                }
                else if (action < 50)
                {
                    PageModel.write(random, writer, model, seed * 1_000 + step);
                }
                else if (action < 60)
                {
                    PageModel.discardReceipt(random, writer, model);
                }
                else if (action < 68)
                {
                    PageModel.discardAllocated(random, writer, model);
                }
                else if (action < 76)
                {
                    PageModel.free(random, store, model);
                }
                else if (action < 90)
                {
                    PageModel.checkpoint(random, store, model, false);
                }
                else if (action < 95)
                {
                    writer.close();
                    model.closed(writer);
                    writers[w] = store.newWriter();
                }
                else
                {
                    PageModel.closeWriters(writers);
                    store.close();
                    store = PageStore.open(file, options, NoFlushIo.INSTANCE);
                    PageModel.openWriters(store, writers);
                    PageModel.reopened(store, model);
                }
                checkCounts(store, model, step);
            }
        }
        finally
        {
            PageModel.closeWriters(writers);
            store.close();
        }
        Files.delete(file);
        return steps;
    }

    private Path template(final int pageCount) throws IOException
    {
        Path template = templates.get(pageCount);
        if (null == template)
        {
            template = dir.resolve("template-" + pageCount + ".store");
            PageStore.create(template, pageCount, StoreOptions.defaults(), NoFlushIo.INSTANCE).close();
            templates.put(pageCount, template);
        }
        return template;
    }

    private static void allocate(final Random random, final PageWriter writer, final PageModel model)
    {
        final int pageCount = model.states.length;
        final int count = 1 + random.nextInt(random.nextInt(4) > 0 ? Math.min(3, pageCount) : pageCount);
        final boolean expected = model.hasRun(count);
        final long first;
        try
        {
            first = 1 == count && random.nextBoolean() ? writer.allocate() : writer.allocate(count);
        }
        catch (final StoreFullException full)
        {
            assertTrue(!expected, "allocate(" + count + ") failed but the model has a run: " + stateString(model));
            return;
        }
        assertTrue(expected, "allocate(" + count + ") succeeded but the model has no run: " + stateString(model));
        for (long page = first; page < first + count; page++)
        {
            assertEquals(FREE, model.states[(int)page], "page " + page + " handed out but not free in the model");
            model.states[(int)page] = ALLOCATED;
            model.owners.put(page, writer);
        }
    }

    private static void checkCounts(final PageStore store, final PageModel model, final int step)
    {
        final long live = model.count(LIVE) + model.count(FREEING);
        final long inFlight = model.count(ALLOCATED) + model.count(WRITTEN);
        final StoreStats stats = store.stats();
        final StoreStats expected = new StoreStats(model.states.length, live, model.states.length - live - inFlight,
            inFlight, stats.lastCheckpoint(), model.count(WRITTEN));
        if (!expected.equals(stats))
        {
            fail("step " + step + ": stats " + stats + ", model " + expected + ": " + stateString(model));
        }
    }

    private static String stateString(final PageModel model)
    {
        final StringBuilder builder = new StringBuilder();
        for (final int state : model.states)
        {
            builder.append(".AWLF".charAt(state));
        }
        return builder.toString();
    }
}

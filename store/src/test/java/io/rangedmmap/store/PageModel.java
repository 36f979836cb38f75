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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.rangedmmap.store.PageStoreTest.page;
import static io.rangedmmap.store.PageStoreTest.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A model of a store's pages for the seeded sequence tests ({@link FreeSpaceModelTest}, {@link PageStoreStatsTest}):
 * each page's state and, for written and live pages, the seed of its bytes and its receipt; and the steps that change
 * the store and the model alike.
 */
final class PageModel
{
    static final int FREE = 0;
    static final int ALLOCATED = 1;
    static final int WRITTEN = 2;
    static final int LIVE = 3;
    static final int FREEING = 4;

    final int[] states;
    final long[] seeds;
    final Map<Long, PageReceipt> receipts = new HashMap<>();
    /**
     * The writer of each page in state ALLOCATED.
     */
    final Map<Long, PageWriter> owners = new HashMap<>();

    PageModel(final int pageCount)
    {
        states = new int[pageCount];
        seeds = new long[pageCount];
    }

    boolean hasRun(final int count)
    {
        int run = 0;
        for (final int state : states)
        {
            run = FREE == state ? run + 1 : 0;
            if (run >= count)
            {
                return true;
            }
        }
        return false;
    }

    List<Long> allocatedBy(final PageWriter writer)
    {
        final List<Long> pages = inState(ALLOCATED);
        pages.removeIf(page -> writer != owners.get(page));
        return pages;
    }

    void closed(final PageWriter writer)
    {
        for (final long page : allocatedBy(writer))
        {
            states[(int)page] = FREE;
            owners.remove(page);
        }
    }

    List<Long> inState(final int state)
    {
        final List<Long> pages = new ArrayList<>();
        for (int page = 0; page < states.length; page++)
        {
            if (state == states[page])
            {
                pages.add((long)page);
            }
        }
        return pages;
    }

    long count(final int state)
    {
        long count = 0;
        for (final int s : states)
        {
            count += state == s ? 1 : 0;
        }
        return count;
    }

    static void openWriters(final PageStore store, final PageWriter[] writers)
    {
        for (int i = 0; i < writers.length; i++)
        {
            writers[i] = store.newWriter();
        }
    }

    static void closeWriters(final PageWriter[] writers)
    {
        for (final PageWriter writer : writers)
        {
            if (null != writer)
            {
                writer.close();
            }
        }
    }

    static void write(final Random random, final PageWriter writer, final PageModel model, final long content)
    {
        final List<Long> allocated = model.allocatedBy(writer);
        if (allocated.isEmpty())
        {
            return;
        }
        final long page = allocated.get(random.nextInt(allocated.size()));
        model.owners.remove(page);
        model.receipts.put(page, writer.write(page, page(content)));
        model.states[(int)page] = WRITTEN;
        model.seeds[(int)page] = content;
    }

    static void discardReceipt(final Random random, final PageWriter writer, final PageModel model)
    {
        // A writer discards only its own receipts: those of writers closed since stay for a checkpoint or a reopen.
        final List<Long> written = model.inState(WRITTEN);
        written.removeIf(page -> writer != model.receipts.get(page).writer());
        if (written.isEmpty())
        {
            return;
        }
        final long page = written.get(random.nextInt(written.size()));
        writer.discard(model.receipts.remove(page));
        model.states[(int)page] = FREE;
    }

    static void discardAllocated(final Random random, final PageWriter writer, final PageModel model)
    {
        final List<Long> allocated = model.allocatedBy(writer);
        if (allocated.isEmpty())
        {
            return;
        }
        final long page = allocated.get(random.nextInt(allocated.size()));
        model.owners.remove(page);
        writer.discard(page);
        model.states[(int)page] = FREE;
    }

    static void free(final Random random, final PageStore store, final PageModel model)
    {
        final List<Long> live = model.inState(LIVE);
        if (live.isEmpty())
        {
            return;
        }
        final long page = live.get(random.nextInt(live.size()));
        store.free(page);
        model.states[(int)page] = FREEING;
    }

    /**
     * Checkpoints about two thirds of the written pages, with every staged free, blocking or asynchronously (then
     * quiescent once the future completed: its leader published the page states and counts before completing it).
     */
    static void checkpoint(final Random random, final PageStore store, final PageModel model, final boolean async)
    {
        final List<PageReceipt> receipts = new ArrayList<>();
        for (final long page : model.inState(WRITTEN))
        {
            if (random.nextInt(3) > 0)
            {
                receipts.add(model.receipts.remove(page));
                model.states[(int)page] = LIVE;
            }
        }
        for (final long page : model.inState(FREEING))
        {
            model.states[(int)page] = FREE;
        }
        if (async)
        {
            store.checkpointAsync(receipts).join();
        }
        else
        {
            store.checkpoint(receipts);
        }
    }

    /**
     * A reopen: pages in flight are free again, staged frees were never checkpointed, and live pages read back.
     */
    static void reopened(final PageStore store, final PageModel model)
    {
        forget(model, ALLOCATED);
        forget(model, WRITTEN);
        model.owners.clear();
        model.receipts.clear();
        for (final long page : model.inState(FREEING))
        {
            model.states[(int)page] = LIVE;
        }
        for (final long page : model.inState(LIVE))
        {
            assertArrayEquals(page(model.seeds[(int)page]), read(store, page), "page " + page + " after reopen");
        }
    }

    private static void forget(final PageModel model, final int state)
    {
        for (final long page : model.inState(state))
        {
            model.states[(int)page] = FREE;
        }
    }
}

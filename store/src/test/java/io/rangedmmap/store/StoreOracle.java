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

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a checkpoint contains, and the check that an open store is exactly that checkpoint: the crash tests' oracle.
 * Page contents derive from a seed ({@link PageStoreTest#page(long)}), so a checkpoint is its page ids and seeds.
 */
final class StoreOracle
{
    /**
     * One checkpoint's content.
     *
     * @param sequence its sequence.
     * @param pages    live page id to content seed.
     * @param roots    the root slots.
     */
    record Snapshot(long sequence, Map<Long, Long> pages, long[] roots)
    {
        static Snapshot empty()
        {
            return new Snapshot(0, Map.of(), new long[PageStore.ROOT_SLOTS]);
        }

        /**
         * {@return the next checkpoint: these pages added, those freed, roots replaced}
         */
        Snapshot next(final Map<Long, Long> added, final Iterable<Long> freed, final long[] newRoots)
        {
            final Map<Long, Long> pages = new HashMap<>(this.pages);
            for (final Long page : freed)
            {
                if (null == pages.remove(page))
                {
                    throw new IllegalStateException("model frees page=" + page + " that is not live");
                }
            }
            for (final Map.Entry<Long, Long> entry : added.entrySet())
            {
                if (null != pages.put(entry.getKey(), entry.getValue()))
                {
                    throw new IllegalStateException("model adds page=" + entry.getKey() + " twice");
                }
            }
            return new Snapshot(sequence + 1, Map.copyOf(pages), newRoots.clone());
        }

        @Override
        public String toString()
        {
            return "Snapshot{sequence=" + sequence + ", pages=" + pages.size() + ", roots=" + Arrays.toString(roots) +
                "}";
        }
    }

    private static final Map<Long, byte[]> CONTENT = new java.util.concurrent.ConcurrentHashMap<>();

    private StoreOracle()
    {
    }

    /**
     * {@return the content of a page written from {@code seed}, cached; do not modify it}
     */
    static byte[] content(final long seed)
    {
        if (CONTENT.size() > 50_000)
        {
            CONTENT.clear();
        }
        return CONTENT.computeIfAbsent(seed, PageStoreTest::page);
    }

    /**
     * Asserts that an open store holds exactly {@code expected}: its sequence and roots, every page byte for byte,
     * the exact live count, every other page free, and a {@link PageStore#verify()} with no corrupt page and no
     * problem in the current metadata. Problems in the spare superblock or metadata copy are what a crash in the
     * middle of a checkpoint leaves, and are allowed; but a superblock fallback must show among them.
     *
     * @param store    the store, just opened.
     * @param expected the checkpoint it must hold.
     * @param probe    picks a few pages outside the checkpoint to try reading; {@code null} for none.
     * @param context  for messages.
     */
    static void assertHolds(final PageStore store, final Snapshot expected, final Random probe, final String context)
    {
        assertContents(store, expected, probe, context);
        final VerifyReport report = store.verify();
        assertEquals(List.of(), report.corruptPages(), context + ": " + report);
        assertEquals(List.of(), report.metadataProblems(), context + ": " + report);
        store.superblockFallback().ifPresent(fallback -> assertTrue(report.redundancyProblems().stream()
            .anyMatch(problem -> problem.contains("superblock slot " + fallback.rejectedSlot())),
            context + ": the fallback (" + fallback + ") must show in verify: " + report));
    }

    /**
     * Asserts what {@link #assertHolds} does, and that {@link PageStore#verify()} is entirely clean: after a
     * checkpoint following a recovery, the spare superblock and metadata copy have been rewritten.
     */
    static void assertHoldsAndClean(final PageStore store, final Snapshot expected, final Random probe,
        final String context)
    {
        assertContents(store, expected, probe, context);
        final VerifyReport report = store.verify();
        assertTrue(report.isClean(), context + ": " + report);
    }

    /**
     * Asserts that an open store holds exactly {@code expected}, as {@link #assertHolds} does, without verifying.
     */
    static void assertContents(final PageStore store, final Snapshot expected, final Random probe,
        final String context)
    {
        assertEquals(expected.sequence(), store.lastCheckpoint(), context + ": lastCheckpoint");
        for (int slot = 0; slot < PageStore.ROOT_SLOTS; slot++)
        {
            assertEquals(expected.roots()[slot], store.root(slot), context + ": root " + slot);
        }
        final StoreStats stats = store.stats();
        final long live = expected.pages().size();
        assertEquals(new StoreStats(store.pageCount(), live, store.pageCount() - live, 0, expected.sequence(),
            store.maxPages(), 0, -1, 0, 0), stats, context + ": stats");
        final byte[] dst = new byte[PageStore.PAGE_SIZE];
        for (final Map.Entry<Long, Long> entry : expected.pages().entrySet())
        {
            store.read(entry.getKey(), dst);
            assertArrayEquals(content(entry.getValue()), dst, context + ": page " + entry.getKey());
        }
        if (null != probe)
        {
            for (int i = 0; i < 3; i++)
            {
                final long pageId = probe.nextLong(store.pageCount());
                if (!expected.pages().containsKey(pageId))
                {
                    assertThrowsExactly(IllegalStateException.class, () -> store.read(pageId, dst),
                        context + ": page " + pageId + " must be free");
                }
            }
        }
    }
}

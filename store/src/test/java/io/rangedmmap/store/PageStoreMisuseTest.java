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

import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.internal.StoreIo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

/**
 * Misuse (matrix row 6), property-based: 10,000 seeded random sequences of valid calls mixed with out-of-range,
 * foreign, stale (from before a reopen), duplicate, not-owned, after-close and after-failure calls. Each misuse is
 * refused with its exception type before any byte of the file or any count changes. A failing sequence prints its
 * seed; rerun one with {@code -Dmisuse.seed=N}.
 */
class PageStoreMisuseTest
{
    private static final long PAGES = 16;
    private static final int SEQUENCES = 10_000;

    @TempDir
    Path dir;

    private static final class FailingIo implements StoreIo
    {
        volatile boolean fail;

        @Override
        public void writeAt(final RawMmapFile file, final long offset, final byte[] page)
        {
            file.writeAt(offset, page);
        }

        @Override
        public void flushRange(final RawMmapFile file, final long offset, final long length) throws IOException
        {
            if (fail)
            {
                throw new IOException("injected flush failure");
            }
            file.flushRange(offset, length);
        }

        @Override
        public void syncDirectory(final Path directory) throws IOException
        {
            StoreIo.DIRECT.syncDirectory(directory);
        }
    }

    @Test
    void shouldRefuseEveryMisuseBeforeWritingAnything() throws IOException
    {
        final Path file = dir.resolve("s.store").toAbsolutePath();
        PageStore.create(file, PAGES).close();
        final String only = System.getProperty("misuse.seed");
        try (PageStore foreign = PageStore.create(dir.resolve("foreign.store"), PAGES);
            PageWriter foreignWriter = foreign.newWriter())
        {
            final PageReceipt foreignReceipt = foreignWriter.write(foreignWriter.allocate(), page(0));
            final List<PageReceipt> stale = new ArrayList<>();
            final List<PageWriter> staleWriters = new ArrayList<>();
            final long first = null == only ? 1 : Long.parseLong(only);
            final long last = null == only ? SEQUENCES : first;
            for (long seed = first; seed <= last; seed++)
            {
                try
                {
                    sequence(file, new Random(seed), foreignReceipt, stale, staleWriters);
                }
                catch (final AssertionError | RuntimeException | IOException ex)
                {
                    throw new AssertionError("misuse sequence failed; rerun with -Dmisuse.seed=" + seed, ex);
                }
            }
        }
    }

    private void sequence(final Path file, final Random random, final PageReceipt foreignReceipt,
        final List<PageReceipt> stale, final List<PageWriter> staleWriters) throws IOException
    {
        final FailingIo io = new FailingIo();
        final PageStore store = PageStore.open(file, StoreOptions.defaults().withExtentPages(2), io);
        try
        {
            final PageWriter a = store.newWriter();
            final PageWriter b = store.newWriter();
            final List<PageReceipt> pending = new ArrayList<>();
            final List<PageReceipt> done = new ArrayList<>();
            final List<Long> allocatedByA = new ArrayList<>();
            for (int step = 0; step < 6 + random.nextInt(10); step++)
            {
                if (random.nextInt(3) == 0)
                {
                    valid(store, a, random, pending, done, allocatedByA);
                }
                else
                {
                    misuse(file, store, a, b, random, foreignReceipt, stale, staleWriters, pending, done,
                        allocatedByA);
                }
            }
            final int ending = random.nextInt(4);
            if (0 == ending)
            {
                store.close();
                refused(file, null, IllegalStateException.class, () -> anyCall(store, a, random));
            }
            else if (1 == ending)
            {
                io.fail = true;
                refusedQuietly(StoreFailedException.class, () -> store.checkpoint(pending));
                final byte[] before = Files.readAllBytes(file);
                refusedQuietly(StoreFailedException.class, () -> anyCall(store, a, random));
                assertArrayEquals(before, Files.readAllBytes(file), "a failed store writes nothing");
            }
            if (stale.size() < 8)
            {
                stale.addAll(done);
                stale.addAll(pending);
                staleWriters.add(a);
            }
            a.close();
            b.close();
        }
        finally
        {
            store.close();
        }
    }

    private static void valid(final PageStore store, final PageWriter a, final Random random,
        final List<PageReceipt> pending, final List<PageReceipt> done, final List<Long> allocatedByA)
    {
        if (store.stats().freePages() > 2 && random.nextBoolean())
        {
            final long pageId = a.allocate();
            if (random.nextBoolean())
            {
                pending.add(a.write(pageId, page(pageId)));
            }
            else
            {
                allocatedByA.add(pageId);
            }
        }
        else
        {
            store.checkpoint(pending);
            done.addAll(pending);
            pending.clear();
        }
    }

    private static Object anyCall(final PageStore store, final PageWriter writer, final Random random)
    {
        return switch (random.nextInt(8))
        {
            case 0 -> store.checkpoint(List.of());
            case 1 -> store.newWriter();
            case 2 -> store.stats();
            case 3 -> store.lastCheckpoint();
            case 4 -> store.root(0);
            case 5 -> store.verify();
            case 6 -> writer.allocate();
            default ->
            {
                store.free(0);
                yield null;
            }
        };
    }

    private static void misuse(final Path file, final PageStore store, final PageWriter a, final PageWriter b,
        final Random random, final PageReceipt foreignReceipt, final List<PageReceipt> stale,
        final List<PageWriter> staleWriters, final List<PageReceipt> pending, final List<PageReceipt> done,
        final List<Long> allocatedByA) throws IOException
    {
        final long outside = random.nextBoolean() ? -1 - random.nextInt(3) : PAGES + random.nextInt(3);
        final byte[] buffer = new byte[PageStore.PAGE_SIZE];
        switch (random.nextInt(14))
        {
            case 0 -> refused(file, store, IndexOutOfBoundsException.class, () -> a.write(outside, page(1)));
            case 1 -> refused(file, store, IndexOutOfBoundsException.class,
                () -> run(() -> store.read(outside, buffer)));
            case 2 -> refused(file, store, IndexOutOfBoundsException.class, () -> run(() -> store.free(outside)));
            case 3 -> refused(file, store, IndexOutOfBoundsException.class,
                () -> run(() -> store.setRoot(random.nextBoolean() ? -1 : PageStore.ROOT_SLOTS, 1)));
            case 4 -> refused(file, store, IllegalArgumentException.class,
                () -> a.allocate(random.nextBoolean() ? 0 : (int)PAGES + 1));
            case 5 -> refused(file, store, IllegalArgumentException.class, () -> store.checkpoint(
                withOneOf(pending, foreignReceipt, random)));
            case 6 ->
            {
                if (!stale.isEmpty())
                {
                    refused(file, store, IllegalArgumentException.class, () -> store.checkpoint(
                        withOneOf(pending, stale.get(random.nextInt(stale.size())), random)));
                }
                if (!staleWriters.isEmpty())
                {
                    refused(file, store, IllegalStateException.class,
                        () -> staleWriters.get(random.nextInt(staleWriters.size())).allocate());
                }
            }
            case 7 ->
            {
                if (!pending.isEmpty())
                {
                    refused(file, store, IllegalArgumentException.class, () -> store.checkpoint(
                        withOneOf(pending, pending.get(random.nextInt(pending.size())), random)));
                }
            }
            case 8 ->
            {
                if (!done.isEmpty())
                {
                    refused(file, store, IllegalStateException.class, () -> store.checkpoint(
                        withOneOf(pending, done.get(random.nextInt(done.size())), random)));
                    final long written = done.get(random.nextInt(done.size())).pageId();
                    refused(file, store, IllegalStateException.class, () -> a.write(written, page(2)));
                }
            }
            case 9 ->
            {
                if (!allocatedByA.isEmpty())
                {
                    final long owned = allocatedByA.get(random.nextInt(allocatedByA.size()));
                    refused(file, store, IllegalArgumentException.class, () -> b.write(owned, page(3)));
                    refused(file, store, IllegalStateException.class, () -> run(() -> store.read(owned, buffer)));
                    refused(file, store, IllegalStateException.class, () -> run(() -> store.free(owned)));
                }
            }
            case 10 ->
            {
                if (!pending.isEmpty())
                {
                    final long unCheckpointed = pending.get(random.nextInt(pending.size())).pageId();
                    refused(file, store, IllegalStateException.class, () -> run(() -> store.free(unCheckpointed)));
                    refused(file, store, IllegalStateException.class, () -> a.write(unCheckpointed, page(4)));
                }
            }
            case 11 ->
            {
                if (!allocatedByA.isEmpty())
                {
                    final long owned = allocatedByA.get(random.nextInt(allocatedByA.size()));
                    refused(file, store, IllegalArgumentException.class,
                        () -> a.write(owned, new byte[random.nextBoolean() ? 4095 : 4097]));
                }
            }
            case 12 ->
            {
                final PageWriter closed = store.newWriter();
                closed.close();
                refused(file, store, IllegalStateException.class, closed::allocate);
            }
            default ->
            {
                long free = -1;
                for (long pageId = 0; pageId < PAGES && free < 0; pageId++)
                {
                    final long candidate = pageId;
                    if (store.stats().freePages() > 0 && isFree(store, candidate))
                    {
                        free = candidate;
                    }
                }
                if (free >= 0)
                {
                    final long target = free;
                    refused(file, store, IllegalArgumentException.class, () -> a.write(target, page(5)));
                    refused(file, store, IllegalStateException.class, () -> run(() -> store.free(target)));
                }
            }
        }
    }

    private static boolean isFree(final PageStore store, final long pageId)
    {
        return io.rangedmmap.store.internal.PageTable.FREE == store.table().stateAcquire((int)pageId);
    }

    private static List<PageReceipt> withOneOf(final List<PageReceipt> pending, final PageReceipt bad,
        final Random random)
    {
        final List<PageReceipt> receipts = new ArrayList<>(pending);
        receipts.add(random.nextInt(receipts.size() + 1), bad);
        return receipts;
    }

    private static Object run(final Runnable call)
    {
        call.run();
        return null;
    }

    private static void refused(final Path file, final PageStore store, final Class<? extends Throwable> type,
        final Supplier<?> call) throws IOException
    {
        final byte[] before = Files.readAllBytes(file);
        final StoreStats stats = null == store ? null : store.stats();
        final long[] roots = new long[PageStore.ROOT_SLOTS];
        for (int slot = 0; null != store && slot < roots.length; slot++)
        {
            roots[slot] = store.root(slot);
        }
        assertThrowsExactly(type, call::get);
        assertArrayEquals(before, Files.readAllBytes(file), "a refused call writes nothing");
        if (null != store)
        {
            assertEquals(stats, store.stats(), "a refused call changes no count");
            for (int slot = 0; slot < roots.length; slot++)
            {
                assertEquals(roots[slot], store.root(slot));
            }
        }
    }

    private static void refusedQuietly(final Class<? extends Throwable> type, final Supplier<?> call)
    {
        assertThrowsExactly(type, call::get);
    }
}

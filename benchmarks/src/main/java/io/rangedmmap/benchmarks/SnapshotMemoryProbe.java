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
package io.rangedmmap.benchmarks;

import io.rangedmmap.store.PageReceipt;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;
import io.rangedmmap.store.StoreSnapshot;
import io.rangedmmap.store.internal.Formatter;
import io.rangedmmap.store.internal.StoreIo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 10: the memory the store itself allocates per live page, with no snapshot open and with one open while pages
 * change. A sparse store of twice {@code LIVE} pages holds {@code LIVE} live pages; the probe opens it, then replaces
 * {@code CHANGES} pages (frees the oldest, writes as many new ones, in checkpoints of 1,000) with no snapshot open,
 * then opens a snapshot and replaces {@code CHANGES} more, reads back every page of the snapshot's checkpoint that the
 * changes freed, and closes it. After each step it prints the growth of {@code RssAnon} (off-heap memory and any heap
 * the JVM touched for the first time) and of the used heap after two {@code System.gc()}: run it with a pre-touched
 * fixed heap ({@code -Xms1g -Xmx1g -XX:+AlwaysPreTouch}) so that {@code RssAnon} counts the off-heap memory alone.
 * Only public API and {@link Formatter} are used, so the same class runs against an older store build.
 *
 * <p>Usage: {@code java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp benchmarks.jar
 * io.rangedmmap.benchmarks.SnapshotMemoryProbe [LIVE] [CHANGES]} (defaults 1,000,000 and 100,000).
 */
public final class SnapshotMemoryProbe
{
    private static final int BATCH = 1000;

    private long anon;
    private long heap;

    private SnapshotMemoryProbe()
    {
    }

    /**
     * Runs the probe.
     *
     * @param args live pages, changes per step.
     * @throws IOException if the store cannot be built or opened.
     */
    public static void main(final String[] args) throws IOException
    {
        final int live = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final int changes = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        final Path dir = Files.createTempDirectory("rangedmmap-snapshot-memory-");
        try
        {
            new SnapshotMemoryProbe().run(dir.resolve("store.db"), live, changes);
        }
        finally
        {
            TempDirs.deleteTree(dir);
        }
    }

    private void run(final Path path, final int live, final int changes) throws IOException
    {
        final long pageCount = 2L * live;
        Formatter.format(path, pageCount, pageCount, StoreIo.DIRECT, true);
        // Live page ids, oldest first: the changes free from the front and append.
        final long[] ids = new long[live + 2 * changes];
        final byte[] data = new byte[PageStore.PAGE_SIZE];
        try (PageStore store = PageStore.open(path); PageWriter writer = store.newWriter())
        {
            for (int written = 0; written < live; written += BATCH * 64)
            {
                final int batch = Math.min(BATCH * 64, live - written);
                final List<PageReceipt> receipts = new ArrayList<>(batch);
                final long first = writer.allocate(batch);
                for (int i = 0; i < batch; i++)
                {
                    ids[written + i] = first + i;
                    receipts.add(writer.write(first + i, data));
                }
                store.checkpoint(receipts);
            }
        }
        mark();
        try (PageStore store = PageStore.open(path); PageWriter writer = store.newWriter())
        {
            report("open", live, "live page");
            replace(store, writer, ids, 0, live, changes, data);
            report("no snapshot open", changes, "change");
            final long[] before = new long[changes];
            try (StoreSnapshot snapshot = store.snapshot())
            {
                System.arraycopy(ids, changes, before, 0, changes);
                replace(store, writer, ids, changes, live + changes, changes, data);
                report("one snapshot open", changes, "change");
                for (final long id : before)
                {
                    snapshot.read(id, data);
                }
            }
            report("snapshot closed", changes, "change");
        }
    }

    /**
     * Frees {@code count} pages from {@code ids[from]} and writes as many new ones to {@code ids[to]} on.
     */
    private static void replace(final PageStore store, final PageWriter writer, final long[] ids, final int from,
        final int to, final int count, final byte[] data) throws IOException
    {
        for (int done = 0; done < count; done += BATCH)
        {
            final List<PageReceipt> receipts = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++)
            {
                store.free(ids[from + done + i]);
                final long id = writer.allocate();
                ids[to + done + i] = id;
                receipts.add(writer.write(id, data));
            }
            store.checkpoint(receipts);
        }
    }

    private void mark()
    {
        heap = usedHeap();
        anon = AnonMemory.rssAnon();
    }

    private void report(final String step, final long count, final String unit)
    {
        final long heapNow = usedHeap();
        final long anonNow = AnonMemory.rssAnon();
        System.out.printf(Locale.ROOT, "%-18s RssAnon %+,12d B (%7.3f B per %s), used heap %+,12d B (%7.3f B per %s)%n",
            step, anonNow - anon, (anonNow - anon) / (double)count, unit, heapNow - heap,
            (heapNow - heap) / (double)count, unit);
        anon = anonNow;
        heap = heapNow;
    }

    private static long usedHeap()
    {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

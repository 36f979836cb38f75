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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Run by {@link PageStoreGrowthTest} in a mount namespace of its own, on a small tmpfs: fills the disk by growing a
 * store, then checks that the store stays healthy and, after frees, goes on writing. Prints {@code FULL
 * ahead-refused=<whether the growth-ahead thread found the disk full first> <message>} and {@code OK <counts>}, or a
 * stack trace.
 */
final class GrowthFullDiskChild
{
    private GrowthFullDiskChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path file = Path.of(args[0]).resolve("full.store");
        final List<PageReceipt> receipts = new ArrayList<>();
        final List<Long> written = new ArrayList<>();
        final StoreOptions options = StoreOptions.defaults().withMaxPages(1L << 20).withGrowthPages(512);
        try (PageStore store = PageStore.create(file, 64, options); PageWriter writer = store.newWriter())
        {
            String full = null;
            while (null == full)
            {
                final long page;
                try
                {
                    page = writer.allocate();
                    // Each growth ahead done before the next allocate: the growth-ahead thread, not this writer, is
                    // the first to find the disk full; the writer gets the error when it runs dry and retries.
                    store.awaitGrowthAhead();
                }
                catch (final StoreFullException ex)
                {
                    full = "ahead-refused=" + store.growthAheadRefused() + " " + ex.getMessage();
                    break;
                }
                receipts.add(writer.write(page, PageStoreGrowthTest.content(page)));
                written.add(page);
                if (receipts.size() == 256)
                {
                    store.checkpoint(receipts);
                    receipts.clear();
                }
            }
            System.out.println("FULL " + full);
            // Healthy: the pages written before the full disk are readable and can be checkpointed.
            store.checkpoint(receipts);
            receipts.clear();
            final byte[] read = new byte[PageStore.PAGE_SIZE];
            for (final long page : written)
            {
                store.read(page, read);
                check(Arrays.equals(PageStoreGrowthTest.content(page), read), "page " + page + " reads back");
            }
            final long pageCount = store.pageCount();
            // Free half of the pages; after the checkpoint that frees them, writing goes on without growing.
            for (int i = 0; i < written.size(); i += 2)
            {
                store.free(written.get(i));
            }
            store.checkpoint(List.of());
            int more = 0;
            for (; more < written.size() / 4; more++)
            {
                final long page = writer.allocate();
                receipts.add(writer.write(page, PageStoreGrowthTest.content(page + 1_000_000)));
            }
            store.checkpoint(receipts);
            check(pageCount == store.pageCount(), "no growth was needed after the frees");
            check(store.verify().isClean(), "verify is clean: " + store.verify());
            System.out.println("OK written=" + written.size() + " more=" + more + " pageCount=" + pageCount);
        }
        try (PageStore store = PageStore.open(file))
        {
            check(store.verify().isClean(), "verify is clean after reopen: " + store.verify());
            System.out.println("REOPENED pageCount=" + store.pageCount() + " live=" + store.stats().livePages());
        }
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new IllegalStateException("check failed: " + what);
        }
    }
}

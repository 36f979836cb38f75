package io.rangedmmap.store;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Open time of a 4 GiB store with 1 million live pages: opening reads the metadata table (8 MiB per copy), never the
 * user pages. Tagged {@code soak} (excluded from the default build: it writes 4 GiB); run it with
 * {@code mvn -pl store test -Dtest=PageStoreOpenTimeTest -Dsurefire.excludedGroups=none}.
 */
@Tag("soak")
class PageStoreOpenTimeTest
{
    private static final long PAGES = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void shouldOpenA4GiBStoreWithAMillionLivePagesQuickly() throws Exception
    {
        final Path file = dir.resolve("big.store");
        try (PageStore store = PageStore.create(file, PAGES, StoreOptions.defaults().withExtentPages(4096));
            PageWriter writer = store.newWriter())
        {
            final List<PageReceipt> receipts = new ArrayList<>();
            for (long i = 0; i < PAGES; i++)
            {
                final long pageId = writer.allocate();
                receipts.add(writer.write(pageId, view -> view.putLong(0, pageId)));
            }
            final long start = System.nanoTime();
            store.checkpoint(receipts);
            System.out.printf("checkpoint of %d pages: %d ms%n", PAGES, (System.nanoTime() - start) / 1_000_000);
        }
        for (int i = 0; i < 5; i++)
        {
            final long start = System.nanoTime();
            try (PageStore store = PageStore.open(file))
            {
                final long micros = (System.nanoTime() - start) / 1_000;
                assertEquals(PAGES, store.stats().livePages());
                System.out.printf("open of a %d-page store with %d live pages: %d us%n", PAGES, PAGES, micros);
            }
        }
    }
}

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A runnable walk-through of the page store, from creating a store to reopening it after a "crash".
 */
class TutorialTest
{
    @TempDir
    Path dir;

    private static byte[] text(final String text)
    {
        final byte[] page = new byte[PageStore.PAGE_SIZE];
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, page, 0, bytes.length);
        return page;
    }

    private static String text(final byte[] page)
    {
        int length = 0;
        while (length < page.length && 0 != page[length])
        {
            length++;
        }
        return new String(page, 0, length, StandardCharsets.UTF_8);
    }

    @Test
    void shouldWalkThroughTheApi() throws IOException
    {
        final Path file = dir.resolve("tutorial.store");
        final long root;
        final long updated;

        // 1. Create a store with room for 1024 user pages of 4 KiB. Its blocks are reserved and the empty store is
        //    durable when create returns. The store holds an exclusive lock on the file until it is closed.
        try (PageStore store = PageStore.create(file, 1024))
        {
            // 2. Each thread uses its own writer. A writer claims extents of free pages from the store without
            //    locks, and only it may write the pages it allocated.
            final List<PageReceipt> receipts = new ArrayList<>();
            try (PageWriter writer = store.newWriter())
            {
                root = writer.allocate();
                final long children = writer.allocate(2);

                // 3. Every write returns a receipt carrying the page's CRC32C. The zero-copy form fills the page in
                //    place through an Agrona view that is valid only during the callback.
                receipts.add(writer.write(root, text("root -> " + children + ", " + (children + 1))));
                receipts.add(writer.write(children, text("left child")));
                receipts.add(writer.write(children + 1, view -> view.putStringWithoutLengthAscii(0, "right child")));
            }

            // 4. Written pages are visible to every thread at once, but not durable.
            final byte[] page = new byte[PageStore.PAGE_SIZE];
            store.read(root, page);
            assertTrue(text(page).startsWith("root -> "));

            // 5. A root slot records where a structure starts; it is committed with the next checkpoint.
            store.setRoot(0, root);

            // 6. The checkpoint makes exactly these pages, the root slot, and any staged frees durable, atomically.
            final Checkpoint first = store.checkpoint(receipts);
            assertEquals(1, first.sequence());
            assertEquals(3, first.pagesFlushed());

            // 7. Pages are written once. To change one, write a new page, free the old one, and move the root:
            //    the free takes effect with the next checkpoint, and the page is reused only after it is durable.
            try (PageWriter writer = store.newWriter())
            {
                updated = writer.allocate();
                final PageReceipt receipt = writer.write(updated, text("root, version 2"));
                store.free(root);
                store.setRoot(0, updated);
                store.checkpoint(List.of(receipt));
            }

            // 8. A page written but never checkpointed is not durable...
            try (PageWriter writer = store.newWriter())
            {
                writer.write(writer.allocate(), text("scratch, never checkpointed"));
            }
            assertEquals(new StoreStats(1024, 3, 1020, 1, 2, 1), store.stats());

            // 9. ...and close does NOT checkpoint: it only releases the file.
        }

        // 10. Opening recovers the last durable checkpoint: the structure is found again through its root slot.
        //     Had the process crashed at any instant, the store would open at checkpoint 2 or 1, never a mix.
        try (PageStore store = PageStore.open(file))
        {
            assertEquals(2, store.lastCheckpoint());
            assertEquals(updated, store.root(0));
            final byte[] page = new byte[PageStore.PAGE_SIZE];
            store.read(store.root(0), page);
            assertEquals("root, version 2", text(page));

            // 11. Every read checks the page's CRC32C; verify checks every live page and the metadata.
            assertTrue(store.verify().isClean());
            assertEquals(new StoreStats(1024, 3, 1021, 0, 2, 0), store.stats());
        }
    }
}

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
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PageStore#close()} from inside one of the store's callbacks (issue 9, item 5) is refused at once with
 * {@link IllegalStateException} instead of waiting forever for its own access; the store stays open and usable,
 * and closes normally afterwards. Each test has a timeout: before the fix each of them hung.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PageStoreCloseInCallbackTest
{
    @TempDir
    Path dir;

    private static String expected(final PageStore store)
    {
        return "close() of page store " + store.path() + " was called from inside one of its callbacks (a " +
            "RangeReader, a RangeWriter or a verify progress listener), and would wait forever for that callback's " +
            "own access; close the store after the callback returns";
    }

    @Test
    void shouldRefuseCloseInsideAReadCallback() throws Exception
    {
        final PageStore store = PageStore.create(dir.resolve("s.store"), 8);
        final long pageId;
        try (PageWriter writer = store.newWriter())
        {
            pageId = writer.allocate();
            store.checkpoint(List.of(writer.write(pageId, page(1))));
        }
        final AtomicReference<IllegalStateException> refused = new AtomicReference<>();
        final byte[] seen = new byte[PageStore.PAGE_SIZE];
        store.read(pageId, view ->
        {
            refused.set(assertThrowsExactly(IllegalStateException.class, store::close));
            view.getBytes(0, seen);
        });
        assertNotNull(refused.get());
        assertEquals(expected(store), refused.get().getMessage());
        assertArrayEquals(page(1), seen);
        assertArrayEquals(page(1), PageStoreTest.read(store, pageId), "the store is still open");
        store.close();
        assertThrowsExactly(IllegalStateException.class, store::stats);
    }

    @Test
    void shouldRefuseCloseInsideAWriteCallback() throws Exception
    {
        final PageStore store = PageStore.create(dir.resolve("s.store"), 8);
        try (PageWriter writer = store.newWriter())
        {
            final long pageId = writer.allocate();
            final AtomicReference<IllegalStateException> refused = new AtomicReference<>();
            final PageReceipt receipt = writer.write(pageId, view ->
            {
                refused.set(assertThrowsExactly(IllegalStateException.class, store::close));
                view.putBytes(0, page(2));
            });
            assertEquals(expected(store), refused.get().getMessage());
            store.checkpoint(List.of(receipt));
            assertArrayEquals(page(2), PageStoreTest.read(store, pageId));
        }
        store.close();
    }

    @Test
    void shouldRefuseCloseInsideAVerifyProgressListener() throws Exception
    {
        final PageStore store = PageStore.create(dir.resolve("s.store"), 8);
        final AtomicReference<IllegalStateException> refused = new AtomicReference<>();
        final VerifyReport report = store.verify(scanned ->
        {
            if (null == refused.get())
            {
                refused.set(assertThrowsExactly(IllegalStateException.class, store::close));
            }
        });
        assertEquals(expected(store), refused.get().getMessage());
        assertTrue(report.isClean(), report.toString());
        assertEquals(0, store.lastCheckpoint(), "the store is still open");
        store.close();
    }

    @Test
    void shouldStillCloseFromAnotherThreadWhileNoCallbackRuns() throws Exception
    {
        final PageStore store = PageStore.create(dir.resolve("s.store"), 8);
        final Thread closer = Thread.ofPlatform().start(store::close);
        closer.join();
        assertThrowsExactly(IllegalStateException.class, store::stats);
    }
}

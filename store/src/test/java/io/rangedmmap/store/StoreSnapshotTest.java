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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

/**
 * The CRC32C check of each of a snapshot's three reads, against the bytes of the page's checkpoint: the CRC a read
 * takes is the one of the bytes the snapshot sees, whether the page has since been freed (pinned) or reused.
 */
class StoreSnapshotTest
{
    /**
     * Where page 0 of a one-page store starts: after 2 superblocks and 2 single-page metadata copies.
     */
    private static final long FIRST_PAGE_OFFSET = 4L * PageStore.PAGE_SIZE;

    @TempDir
    Path dir;

    @Test
    void shouldCheckEveryReadOfAFreedPinnedPageAgainstTheCrc32cOfItsCheckpoint() throws IOException
    {
        final Path file = dir.resolve("s.store");
        final byte[] bytes = page(7);
        try (PageStore store = PageStore.create(file, 1);
            PageWriter writer = store.newWriter())
        {
            final long pageId = writer.allocate();
            final PageReceipt receipt = writer.write(pageId, bytes);
            store.checkpoint(List.of(receipt));
            try (StoreSnapshot snapshot = store.snapshot())
            {
                store.free(pageId);
                store.checkpoint(List.of());
                // Pinned: its space is not reused while the snapshot can see it.
                assertThrowsExactly(StoreFullException.class, writer::allocate);
                assertArrayEquals(bytes, readAllForms(snapshot, pageId));

                corruptByte(file, FIRST_PAGE_OFFSET + pageId * PageStore.PAGE_SIZE + 100);
                final CorruptPageException ex = assertThrowsExactly(CorruptPageException.class,
                    () -> snapshot.read(pageId, new byte[PageStore.PAGE_SIZE]));
                assertEquals(pageId, ex.pageId());
                assertEquals(receipt.crc32c(), ex.expectedCrc32c());
                assertThrowsExactly(CorruptPageException.class,
                    () -> snapshot.read(pageId, ByteBuffer.allocate(PageStore.PAGE_SIZE)));
                final ByteBuffer direct = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE);
                assertEquals(receipt.crc32c(), assertThrowsExactly(CorruptPageException.class,
                    () -> snapshot.read(pageId, direct)).expectedCrc32c());
                final boolean[] called = new boolean[1];
                assertEquals(receipt.crc32c(), assertThrowsExactly(CorruptPageException.class,
                    () -> snapshot.read(pageId, view -> called[0] = true)).expectedCrc32c());
                assertFalse(called[0]);
            }
        }
    }

    @Test
    void shouldCheckAReusedPageAgainstTheCrc32cOfItsNewBytes() throws IOException
    {
        final Path file = dir.resolve("s.store");
        try (PageStore store = PageStore.create(file, 1);
            PageWriter writer = store.newWriter())
        {
            final long pageId = writer.allocate();
            store.checkpoint(List.of(writer.write(pageId, page(1))));
            final StoreSnapshot old = store.snapshot();
            assertArrayEquals(page(1), readAllForms(old, pageId));
            old.close();
            store.free(pageId);
            store.checkpoint(List.of());
            try (StoreSnapshot between = store.snapshot())
            {
                assertThrowsExactly(PageNotInSnapshotException.class,
                    () -> between.read(pageId, new byte[PageStore.PAGE_SIZE]));
                assertThrowsExactly(PageNotInSnapshotException.class,
                    () -> between.read(pageId, ByteBuffer.allocateDirect(PageStore.PAGE_SIZE)));
                final boolean[] called = new boolean[1];
                final PageNotInSnapshotException ex = assertThrowsExactly(PageNotInSnapshotException.class,
                    () -> between.read(pageId, view -> called[0] = true));
                assertFalse(called[0]);
                assertEquals(pageId, ex.pageId());
                assertEquals(between.sequence(), ex.sequence());
                // The in-place read that refused the page left this thread's reader usable.
                assertThrowsExactly(IllegalStateException.class, () -> store.read(pageId, view -> called[0] = true));
                assertFalse(called[0]);
            }

            assertEquals(pageId, writer.allocate());
            final PageReceipt receipt = writer.write(pageId, page(2));
            store.checkpoint(List.of(receipt));
            try (StoreSnapshot snapshot = store.snapshot())
            {
                assertArrayEquals(page(2), readAllForms(snapshot, pageId));
                corruptByte(file, FIRST_PAGE_OFFSET + pageId * PageStore.PAGE_SIZE);
                assertEquals(receipt.crc32c(), assertThrowsExactly(CorruptPageException.class,
                    () -> snapshot.read(pageId, view -> view.getLong(0))).expectedCrc32c());
            }
            assertThrowsExactly(IllegalStateException.class, () -> old.read(pageId, new byte[PageStore.PAGE_SIZE]));
        }
    }

    /**
     * {@return the page read through the snapshot into an array}, once the heap buffer, direct buffer and in-place
     * reads were checked to give the same bytes.
     */
    private static byte[] readAllForms(final StoreSnapshot snapshot, final long pageId)
    {
        final byte[] array = new byte[PageStore.PAGE_SIZE];
        snapshot.read(pageId, array);
        final ByteBuffer heap = ByteBuffer.allocate(PageStore.PAGE_SIZE);
        snapshot.read(pageId, heap);
        assertArrayEquals(array, heap.array());
        final ByteBuffer direct = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE);
        snapshot.read(pageId, direct);
        final byte[] fromDirect = new byte[PageStore.PAGE_SIZE];
        direct.flip().get(fromDirect);
        assertArrayEquals(array, fromDirect);
        final byte[] inPlace = new byte[PageStore.PAGE_SIZE];
        snapshot.read(pageId, view -> view.getBytes(0, inPlace));
        assertArrayEquals(array, inPlace);
        return array;
    }

    /**
     * Flips a bit of the file under the open store, through the page cache the store's mapping shares.
     */
    private static void corruptByte(final Path file, final long offset) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte)(one.get(0) ^ 1));
            channel.write(one.rewind(), offset);
        }
    }
}

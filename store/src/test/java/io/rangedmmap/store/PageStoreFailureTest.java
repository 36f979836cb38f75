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

import io.rangedmmap.mmap.MappingFaultException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static io.rangedmmap.store.PageStoreTest.page;
import static io.rangedmmap.store.PageStoreTest.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageStoreFailureTest
{
    @TempDir
    Path dir;

    @Test
    void shouldFailStopOnMappingFaultAndRecoverOnReopen() throws IOException
    {
        // The in-place write goes through the mapping, which faults past the end of the file.
        final Throwable cause = failOnTruncatedFileAndRecover("s.store",
            (writer, page) -> writer.write(page, view -> view.putBytes(0, page(2))));
        assertEquals(MappingFaultException.class, cause.getClass());
    }

    /**
     * A copying write goes by {@code pwrite}, which does not fault but would extend a truncated file again: the
     * {@code fstat} after it finds the file smaller than the mapping, and the store fails as after a fault; a reopen
     * recovers the last durable checkpoint.
     */
    @Test
    void shouldFailStopWhenACopyingWriteFindsTheFileTruncated() throws IOException
    {
        final Path array = dir.resolve("array.store").toAbsolutePath();
        final Path buffer = dir.resolve("buffer.store").toAbsolutePath();
        final Throwable fromArray = failOnTruncatedFileAndRecover(array.getFileName().toString(),
            (writer, page) -> writer.write(page, page(2)));
        final Throwable fromBuffer = failOnTruncatedFileAndRecover(buffer.getFileName().toString(),
            (writer, page) -> writer.write(page, java.nio.ByteBuffer.wrap(page(2))));
        for (final Throwable cause : List.of(fromArray, fromBuffer))
        {
            assertEquals(IOException.class, cause.getClass());
            assertTrue(cause.getMessage().startsWith("pwrite of [") &&
                cause.getMessage().contains(" found the file truncated under its mapping (size="), cause.getMessage());
        }
        assertTrue(fromArray.getMessage().contains(array.toString()), fromArray.getMessage());
        assertTrue(fromBuffer.getMessage().contains(buffer.toString()), fromBuffer.getMessage());
    }

    private interface PageWrite
    {
        void write(PageWriter writer, long page);
    }

    /**
     * Truncates a store's file under it (another actor), checks that {@code write} of a page past the new end fails
     * the store for good (every later call throws with the same first error), and that a reopen, once the file has
     * its size back, recovers the last durable checkpoint.
     *
     * @return the store's first error.
     */
    private Throwable failOnTruncatedFileAndRecover(final String name, final PageWrite write) throws IOException
    {
        final Path file = dir.resolve(name).toAbsolutePath();
        final long kept;
        final long fileSize;
        final Throwable cause;
        try (PageStore store = PageStore.create(file, 64))
        {
            final PageWriter writer = store.newWriter();
            kept = writer.allocate();
            store.checkpoint(List.of(writer.write(kept, page(1))));
            final long doomed = writer.allocate(40) + 39;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                fileSize = channel.size();
                channel.truncate(24 * 4096);
            }
            final StoreFailedException failed = assertThrowsExactly(StoreFailedException.class,
                () -> write.write(writer, doomed));
            cause = failed.getCause();
            assertTrue(failed.getMessage().startsWith("page store " + file + " has failed and refuses every call; " +
                "close and reopen it to recover the last durable checkpoint. First error: "), failed.getMessage());
            assertSame(cause, assertThrowsExactly(StoreFailedException.class, () -> read(store, kept)).getCause());
            assertSame(cause, assertThrowsExactly(StoreFailedException.class,
                () -> store.checkpoint(List.of())).getCause());
            assertSame(cause, assertThrowsExactly(StoreFailedException.class, writer::allocate).getCause());
            assertSame(cause, assertThrowsExactly(StoreFailedException.class, store::newWriter).getCause());
            assertSame(cause, assertThrowsExactly(StoreFailedException.class, store::verify).getCause());
            writer.close();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(java.nio.ByteBuffer.allocate(1), fileSize - 1);
        }
        try (PageStore store = PageStore.open(file))
        {
            assertEquals(1, store.lastCheckpoint());
            assertArrayEquals(page(1), read(store, kept));
            assertEquals(1, store.stats().livePages());
        }
        return cause;
    }

    @Test
    void shouldFailStopOnMappingFaultAfterTheJitCompiledTheReads() throws IOException
    {
        // Compiled copies learn of a fault at the next safepoint poll: the store must still fail typed.
        final Path file = dir.resolve("hot.store").toAbsolutePath();
        try (PageStore store = PageStore.create(file, 64))
        {
            final PageWriter writer = store.newWriter();
            final long kept = writer.allocate();
            store.checkpoint(List.of(writer.write(kept, page(1))));
            final long doomed = writer.allocate(40) + 39;
            final byte[] dst = new byte[PageStore.PAGE_SIZE];
            final java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(PageStore.PAGE_SIZE);
            for (int i = 0; i < 100_000; i++)
            {
                store.read(kept, dst);
                store.read(kept, direct.clear());
                store.read(kept, view -> view.getLong(0));
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
            {
                channel.truncate(0);
            }
            final StoreFailedException failed =
                assertThrowsExactly(StoreFailedException.class, () -> read(store, kept));
            assertEquals(MappingFaultException.class, failed.getCause().getClass());
            assertSame(failed.getCause(), assertThrowsExactly(StoreFailedException.class,
                () -> writer.write(doomed, page(2))).getCause());
            writer.close();
        }
    }
}

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
package io.rangedmmap.store.internal.format;

import io.rangedmmap.mmap.internal.LockedFile;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Reads the superblocks of a store before it is locked and mapped, only to size its mapping: the largest maxPages a
 * valid superblock records. Nothing is trusted from it; recovery validates the superblocks after the lock is held.
 */
public final class SuperblockProbe
{
    private SuperblockProbe()
    {
    }

    /**
     * {@return the largest maxPages recorded by a superblock of {@code file} that has this format and a valid CRC32C,
     * or 0 if none has}
     *
     * @param file the store file.
     * @throws io.rangedmmap.mmap.FileLockedException if the file is open in this JVM.
     * @throws IOException if the file cannot be read.
     */
    public static long largestMaxPages(final Path file) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(StoreLayout.SUPERBLOCK_SLOTS * StoreLayout.PAGE_SIZE);
        // Through LockedFile: a descriptor of our own, closed here, would drop the lock of a handle open in this JVM.
        LockedFile.readHead(file, bytes);
        long largest = 0;
        for (int slot = 0; slot < StoreLayout.SUPERBLOCK_SLOTS; slot++)
        {
            final UnsafeBuffer page = new UnsafeBuffer(bytes.array(), slot * StoreLayout.PAGE_SIZE,
                StoreLayout.PAGE_SIZE);
            if (FormatVersion.MAGIC == page.getLong(SuperblockDescriptor.MAGIC_OFFSET, ByteOrder.LITTLE_ENDIAN) &&
                FormatVersion.CURRENT == page.getInt(SuperblockDescriptor.VERSION_OFFSET, ByteOrder.LITTLE_ENDIAN) &&
                SuperblockDescriptor.isCrcValid(page))
            {
                final long maxPages = page.getLong(SuperblockDescriptor.MAX_PAGES_OFFSET, ByteOrder.LITTLE_ENDIAN);
                if (maxPages > largest && maxPages <= StoreLayout.MAX_PAGE_COUNT)
                {
                    largest = maxPages;
                }
            }
        }
        return largest;
    }
}

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
package io.rangedmmap.store.internal;

import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.mmap.internal.LockedFile;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The seam under every durability step of the store: each write of a metadata or superblock page, each flush of user
 * pages, metadata and superblocks, and the directory fsync after create go through it, in the order the crash
 * guarantees depend on. {@link #DIRECT} does them; tests substitute an implementation that records what was made
 * durable, checks the order, injects failures or pauses at a phase.
 *
 * <p>User page writes do not go through it: they are not durability steps, and a recorder finds the pages written
 * since their last flush by comparing the mapping with what it recorded as durable.
 *
 * <p><b>Thread safety:</b> {@link #DIRECT} from any thread; the store calls the flush and metadata methods from one
 * thread at a time (under its checkpoint lock, or during create).
 */
public interface StoreIo
{
    /**
     * The implementation that writes and flushes the file itself.
     */
    StoreIo DIRECT = new StoreIo()
    {
        @Override
        public void writeAt(final RawMmapFile file, final long offset, final byte[] page)
        {
            file.writeAt(offset, page);
        }

        @Override
        public void flushRange(final RawMmapFile file, final long offset, final long length) throws IOException
        {
            file.flushRange(offset, length);
        }

        @Override
        public void syncDirectory(final Path directory) throws IOException
        {
            LockedFile.syncDirectory(directory);
        }

        @Override
        public String toString()
        {
            return "StoreIo.DIRECT";
        }
    };

    /**
     * Writes one metadata or superblock page into the mapping (the page cache only).
     *
     * @param file   the store file.
     * @param offset the page's file offset.
     * @param page   its {@code PAGE_SIZE} bytes.
     */
    void writeAt(RawMmapFile file, long offset, byte[] page);

    /**
     * Makes {@code [offset, offset + length)} of the file durable ({@code msync(MS_SYNC)}).
     *
     * @param file   the store file.
     * @param offset the first byte.
     * @param length the number of bytes.
     * @throws IOException if the flush fails; the file has failed.
     */
    void flushRange(RawMmapFile file, long offset, long length) throws IOException;

    /**
     * Makes a directory's entries durable ({@code fsync} of the directory), after a store was given its name in it.
     *
     * @param directory the directory.
     * @throws IOException if the fsync fails.
     */
    void syncDirectory(Path directory) throws IOException;
}

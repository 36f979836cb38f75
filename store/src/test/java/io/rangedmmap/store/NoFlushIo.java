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

import java.nio.file.Path;

/**
 * A {@link StoreIo} that writes metadata and superblocks into the mapping and skips every flush: for tests of the
 * store's logic (allocation, discard, concurrency) that run thousands of checkpoints and reopens within one process,
 * where the page cache keeps everything and a device flush would only cost time. Never for crash tests.
 */
final class NoFlushIo implements StoreIo
{
    static final NoFlushIo INSTANCE = new NoFlushIo();

    private NoFlushIo()
    {
    }

    @Override
    public void writeAt(final RawMmapFile file, final long offset, final byte[] page)
    {
        file.writeAt(offset, page);
    }

    @Override
    public void flushRange(final RawMmapFile file, final long offset, final long length)
    {
        // Skipped: the same process reopens the store and sees the page cache.
    }

    @Override
    public void syncDirectory(final Path directory)
    {
        // Skipped, likewise.
    }
}

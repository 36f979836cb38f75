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
import io.rangedmmap.mmap.internal.RawFileAccess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The checkpoint's durability steps of an open store: metadata and superblock pages are written with {@code pwrite}
 * through the store file's one descriptor, and flushes are {@code msync(MS_SYNC)} of the span, as
 * {@link StoreIo#DIRECT}.
 *
 * <p><b>Why pwrite.</b> A page written through the mapping after a flush is write-protected again: the next write
 * takes a fault ({@code page_mkwrite}, with the file's timestamps updated through the journal). Measured on ext4
 * ({@code shared/FACTS.md}, durability paths): a 4 KiB page written by {@code pwrite} and flushed cost about half of
 * one written through the mapping. A checkpoint rewrites its superblock and metadata pages every time, so they go
 * through the descriptor, as the writers' copying page writes do ({@code PwriteBuffer}). The page cache is shared,
 * so the mapping sees these writes at once, and the span's {@code msync} (a ranged {@code fdatasync} on Linux: it
 * writes back the file's dirty pages in the range, however they were dirtied) makes them durable with the user pages.
 *
 * <p><b>One descriptor.</b> The write goes through the descriptor the mapping layer already holds for the file
 * ({@link RawFileAccess#writeThrough}), never a second open of it: closing any descriptor of a file drops the
 * process's lock on it. Nothing is held here, so there is nothing to close.
 *
 * <p><b>Thread safety:</b> one checkpoint at a time (the group commit's leader).
 */
public final class PwriteStoreIo implements StoreIo
{
    /**
     * The one instance: it holds nothing.
     */
    public static final PwriteStoreIo INSTANCE = new PwriteStoreIo();

    private PwriteStoreIo()
    {
    }

    /**
     * Writes one metadata or superblock page with {@code pwrite}.
     *
     * @throws UncheckedIOException if the write fails (disk full, I/O error): the checkpoint fails the store.
     */
    @Override
    public void writeAt(final RawMmapFile file, final long offset, final byte[] page)
    {
        try
        {
            RawFileAccess.writeThrough(file, offset, page);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("pwrite of the page at offset=" + offset + " of " + file.path() +
                " failed", ex);
        }
    }

    @Override
    public void flushRange(final RawMmapFile file, final long offset, final long length) throws IOException
    {
        file.flushRange(offset, length);
    }

    @Override
    public void syncDirectory(final Path directory) throws IOException
    {
        StoreIo.DIRECT.syncDirectory(directory);
    }

    @Override
    public String toString()
    {
        return "PwriteStoreIo";
    }
}

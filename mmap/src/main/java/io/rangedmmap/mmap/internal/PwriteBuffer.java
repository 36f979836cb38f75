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
package io.rangedmmap.mmap.internal;

import io.rangedmmap.mmap.RawMmapFile;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One writer's staging memory for {@code pwrite}: a native buffer the bytes are copied into and the segment the
 * downcall keeps its errno in, allocated once, so that a write through the file's descriptor allocates nothing.
 *
 * <p>The page store's writers write their pages with it rather than through the mapping: a page written through the
 * mapping after a flush made it clean takes a write-protect fault ({@code page_mkwrite}), and each first write
 * through a 4 KiB mapping entry costs a fault too, while a {@code pwrite} of a whole page dirties the page cache
 * with neither (see the store's {@code PageWriter}). The mapping sees the bytes at once: the page cache is shared.
 *
 * <p>Its memory belongs to an automatic arena: it is freed once the buffer is unreachable.
 *
 * <p><b>Thread safety:</b> one thread at a time.
 */
public final class PwriteBuffer
{
    private final MemorySegment buffer;
    private final MemorySegment callState;
    private final ByteBuffer view;

    /**
     * Allocates a buffer of {@code capacity} bytes.
     *
     * @param capacity the largest write, in bytes.
     * @throws IllegalArgumentException if {@code capacity < 1}.
     */
    public PwriteBuffer(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("capacity=" + capacity + " must be at least 1");
        }
        final Arena arena = Arena.ofAuto();
        this.buffer = arena.allocate(capacity, Long.BYTES);
        this.callState = NativeIo.allocateCallState(arena);
        this.view = buffer.asByteBuffer();
    }

    /**
     * Writes all of {@code data} at {@code offset} of {@code file} with {@code pwrite}, into the page cache.
     *
     * @param file   an open, writable handle.
     * @param offset where in the file.
     * @param data   the bytes, at most the capacity.
     * @throws IndexOutOfBoundsException if {@code data} is longer than the capacity, or the target is not inside
     *                                   the file.
     * @throws IllegalStateException     if the handle is closed, the file has failed or was opened read-only.
     * @throws IOException               if the write fails (a {@code NativeCallException} keeps its errno).
     */
    public void write(final RawMmapFile file, final long offset, final byte[] data) throws IOException
    {
        Objects.checkFromIndexSize(0, data.length, buffer.byteSize());
        MemorySegment.copy(data, 0, buffer, ValueLayout.JAVA_BYTE, 0, data.length);
        RawFileAccess.writeThrough(file, offset, buffer, data.length, callState);
    }

    /**
     * Writes the remaining bytes of {@code data} at {@code offset} of {@code file} with {@code pwrite}, into the
     * page cache, and advances its position to its limit.
     *
     * @param file   an open, writable handle.
     * @param offset where in the file.
     * @param data   heap or direct bytes, at most the capacity remaining.
     * @throws IndexOutOfBoundsException if more bytes remain than the capacity, or the target is not inside the
     *                                   file.
     * @throws IllegalStateException     if the handle is closed, the file has failed or was opened read-only.
     * @throws IOException               if the write fails (a {@code NativeCallException} keeps its errno).
     */
    public void write(final RawMmapFile file, final long offset, final ByteBuffer data) throws IOException
    {
        final int length = data.remaining();
        Objects.checkFromIndexSize(0, length, buffer.byteSize());
        view.clear();
        view.put(view.position(), data, data.position(), length);
        RawFileAccess.writeThrough(file, offset, buffer, length, callState);
        data.position(data.limit());
    }
}

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

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Writes into a mapped file with {@code pwrite} through the file's one descriptor, not through the mapping (see
 * {@link LockedFile#writeAt}); the mapping sees the bytes at once, the page cache being shared. No bounds checks:
 * the handle that calls it has made them.
 *
 * <p>Why a writer would: a page written through the mapping after a flush made it clean takes a write-protect
 * fault, and each first write through a 4 KiB mapping entry a fault too, where a {@code pwrite} of a whole page
 * takes neither (see {@link PwriteBuffer}).
 *
 * <p><b>Thread safety:</b> static methods, safe from any thread inside the handle's gate.
 */
public final class WriteThrough
{
    private WriteThrough()
    {
    }

    /**
     * Reads bytes at {@code offset} into a heap array with {@code pread} (see {@link LockedFile#readAt}); it sees what
     * the mapping sees (one page cache). The one read here, beside the writes, because it goes the same way.
     *
     * @param region    the mapping.
     * @param dst       the array.
     * @param dstOffset first byte of the array.
     * @param offset    where in the file.
     * @param length    how many bytes.
     * @throws IOException if the read fails (its errno is kept in a {@code NativeCallException}).
     */
    public static void read(
        final MappedRegion region, final byte[] dst, final int dstOffset, final long offset, final int length)
        throws IOException
    {
        region.file().readAt(offset, dst, dstOffset, length);
    }

    /**
     * Writes bytes of a heap array at {@code offset}. A failed region does not refuse it: the flush that must follow
     * does.
     *
     * @param region    the mapping.
     * @param src       the array.
     * @param srcOffset first byte of the array.
     * @param offset    where in the file.
     * @param length    how many bytes.
     * @throws IllegalStateException if the region was opened read-only.
     * @throws IOException           if the write fails (its errno is kept in a {@code NativeCallException}).
     */
    public static void write(
        final MappedRegion region, final byte[] src, final int srcOffset, final long offset, final int length)
        throws IOException
    {
        region.failStop().checkNotReadOnly();
        region.file().writeAt(offset, src, srcOffset, length);
    }

    /**
     * Writes the first {@code length} bytes of a native segment at {@code offset}, as
     * {@link #write(MappedRegion, byte[], int, long, int)} does, allocating nothing.
     *
     * <p>A write through the mapping into a file truncated under it faults; a {@code pwrite} would extend the file
     * again, silently, and leave zeros in place of what the truncation took. So the write is followed by a read of the
     * file's size ({@code lseek}, not {@code fstat}: see {@link NativeIo#fileSize(int, java.nio.file.Path)}): a file
     * smaller than the mapping fails the region, as a fault does.
     *
     * @param region    the mapping.
     * @param buffer    the bytes, native memory.
     * @param length    how many bytes.
     * @param offset    where in the file.
     * @param callState the caller's call state.
     * @throws IllegalStateException if the region was opened read-only.
     * @throws IOException           if the write fails (its errno is kept in a {@code NativeCallException}), or
     *                               found the file truncated (which fails the region).
     */
    public static void write(final MappedRegion region, final MemorySegment buffer, final long length,
        final long offset, final MemorySegment callState) throws IOException
    {
        region.failStop().checkNotReadOnly();
        final LockedFile file = region.file();
        file.writeAt(offset, buffer, length, callState);
        // The size is published after a growth extended the file, so only a truncation makes the file smaller.
        final long mapped = region.size();
        final long actual = file.size();
        if (actual < mapped)
        {
            final IOException ex = new IOException("pwrite of [" + offset + ", " + (offset + length) + ") of " +
                region.path() + " found the file truncated under its mapping (size=" + actual + ", mapped=" + mapped +
                "; another process truncated it): the bytes past the truncation are lost");
            region.failStop().fail(ex);
            throw ex;
        }
    }
}

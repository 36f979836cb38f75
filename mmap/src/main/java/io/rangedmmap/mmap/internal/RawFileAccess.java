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
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * What {@link RawMmapFile} offers the page store beyond its API: a {@code pwrite} through the file's one descriptor.
 * The store's checkpoint rewrites its metadata and superblock pages on every checkpoint, and a page written through
 * the mapping after a flush takes a write-protect fault, so it writes them with {@code pwrite}; going through the
 * descriptor the mapping layer already holds means the store file is never opened twice (closing any descriptor of
 * it would drop the process's lock).
 *
 * <p>{@code RawMmapFile} installs its bridge when its class is initialised, so any caller holding a
 * {@code RawMmapFile} finds it installed (the JDK's {@code SharedSecrets} pattern). Not API: this package is exported
 * to the store only.
 *
 * <p><b>Thread safety:</b> any thread.
 */
public final class RawFileAccess
{
    /**
     * The operations {@link RawMmapFile} implements for the internals.
     */
    public interface Bridge
    {
        /**
         * Writes {@code data} at {@code offset} of {@code file} with {@code pwrite}, inside the handle's gate.
         *
         * @param file   the open handle.
         * @param offset where in the file.
         * @param data   the bytes.
         * @throws IOException if the write fails.
         */
        void writeThrough(RawMmapFile file, long offset, byte[] data) throws IOException;

        /**
         * Writes the first {@code length} bytes of a native segment at {@code offset} of {@code file} with
         * {@code pwrite}, inside the handle's gate, refusing a failed file.
         *
         * @param file      the open handle.
         * @param offset    where in the file.
         * @param buffer    the bytes, native memory.
         * @param length    how many bytes.
         * @param callState the caller's errno segment.
         * @throws IOException if the write fails.
         */
        void writeThrough(RawMmapFile file, long offset, MemorySegment buffer, long length, MemorySegment callState)
            throws IOException;

        /**
         * Reads {@code dst.length} bytes at {@code offset} of {@code file} with {@code pread}, inside the handle's
         * gate.
         *
         * @param file   the open handle.
         * @param offset where in the file.
         * @param dst    the array to fill.
         * @throws IOException if the read fails.
         */
        void readThrough(RawMmapFile file, long offset, byte[] dst) throws IOException;
    }

    private static volatile Bridge bridge;

    private RawFileAccess()
    {
    }

    /**
     * Installs {@link RawMmapFile}'s bridge; once.
     *
     * @param implementation the bridge, a nested class of {@link RawMmapFile}.
     * @throws IllegalStateException    if a bridge is installed already.
     * @throws IllegalArgumentException if {@code implementation} is not {@link RawMmapFile}'s.
     */
    public static synchronized void install(final Bridge implementation)
    {
        Objects.requireNonNull(implementation, "implementation");
        if (RawMmapFile.class != implementation.getClass().getNestHost())
        {
            throw new IllegalArgumentException("only RawMmapFile installs the bridge, not " + implementation);
        }
        if (null != bridge)
        {
            throw new IllegalStateException("the RawMmapFile bridge is installed already");
        }
        bridge = implementation;
    }

    /**
     * Writes {@code data} at {@code offset} of {@code file} with {@code pwrite} through its one descriptor, into the
     * page cache: the mapping sees the bytes at once, and they are durable once that range is flushed.
     *
     * @param file   an open, writable handle.
     * @param offset where in the file.
     * @param data   the bytes.
     * @throws IndexOutOfBoundsException if {@code [offset, offset + data.length)} is not inside the file.
     * @throws IllegalStateException     if the handle is closed, or the file was opened read-only.
     * @throws IOException               if the write fails (a {@code NativeCallException} keeps its errno).
     */
    public static void writeThrough(final RawMmapFile file, final long offset, final byte[] data) throws IOException
    {
        // Volatile read: partner of the write in install, which RawMmapFile's class initialisation made before any
        // handle (and so this call's file) could exist.
        bridge.writeThrough(file, offset, data);
    }

    /**
     * Writes the first {@code length} bytes of a native segment at {@code offset} of {@code file} with
     * {@code pwrite} through its one descriptor, into the page cache, allocating nothing: a writer's page write
     * (see {@link PwriteBuffer}).
     *
     * @param file      an open, writable handle.
     * @param offset    where in the file.
     * @param buffer    the bytes, native memory.
     * @param length    how many bytes.
     * @param callState the caller's errno segment ({@link NativeIo#allocateCallState}), one thread at a time.
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is not inside the file.
     * @throws IllegalStateException     if the handle is closed, the file has failed or was opened read-only.
     * @throws IOException               if the write fails (a {@code NativeCallException} keeps its errno).
     */
    public static void writeThrough(final RawMmapFile file, final long offset, final MemorySegment buffer,
        final long length, final MemorySegment callState) throws IOException
    {
        // Volatile read: partner of the write in install (see above).
        bridge.writeThrough(file, offset, buffer, length, callState);
    }

    /**
     * Reads {@code dst.length} bytes at {@code offset} of {@code file} with {@code pread} through its one descriptor,
     * from the page cache, without touching the mapping: the store's open reads its scattered metadata pages so, where
     * a first touch of each 4 KiB mapping entry would cost far more than the read.
     *
     * @param file   an open handle, read-only or writable.
     * @param offset where in the file.
     * @param dst    the array to fill.
     * @throws IndexOutOfBoundsException if {@code [offset, offset + dst.length)} is not inside the file.
     * @throws IllegalStateException     if the handle is closed.
     * @throws IOException               if the read fails (a {@code NativeCallException} keeps its errno).
     */
    public static void readThrough(final RawMmapFile file, final long offset, final byte[] dst) throws IOException
    {
        // Volatile read: partner of the write in install (see above).
        bridge.readThrough(file, offset, dst);
    }
}

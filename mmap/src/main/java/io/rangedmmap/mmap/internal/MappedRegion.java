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

import io.rangedmmap.mmap.Advice;
import io.rangedmmap.mmap.Alignment;
import io.rangedmmap.mmap.MappingFaultException;
import io.rangedmmap.mmap.NativeCallException;
import io.rangedmmap.mmap.RangeReader;
import io.rangedmmap.mmap.RangeWriter;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.BufferUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One file mapped read-write as a single segment of a shared {@link Arena}, held with an exclusive lock, shared by
 * every handle on it and unmapped when the last handle releases it.
 *
 * <p>It is the one place a mapping fault is recognised (its copy routines and callbacks, see {@link #fault}); a fault
 * or a failed flush fails the file's {@link FailStop}. {@link RegionOpener} opens and maps files as regions;
 * {@link WriteThrough} writes through the file's descriptor instead of the mapping.
 *
 * <p><b>Thread safety:</b> all methods are safe from any thread. Callers keep accesses inside a
 * {@link HandleGate} so the region is never unmapped under an access.
 */
public final class MappedRegion
{
    private static final Logger LOG = LoggerFactory.getLogger(MappedRegion.class);
    private static final long ARRAY_BASE = BufferUtil.ARRAY_BASE_OFFSET;
    private static final byte[] EMPTY = new byte[0];

    private final Path path;
    private final LockedFile file;
    private final Arena arena;
    private final MemorySegment segment;
    private final long reserve;
    private final long address;
    // Volatile: grows by extend() while other threads access the mapping; the bounds checks read it.
    private volatile long size;
    private final FailStop failStop;
    private final AtomicInteger handles = new AtomicInteger(1);

    /**
     * Maps a whole file, just opened and locked, as one segment of a shared arena.
     */
    MappedRegion(final LockedFile file, final long size, final boolean readOnly) throws IOException
    {
        this.path = file.path();
        this.file = file;
        this.size = size;
        this.failStop = new FailStop(path, readOnly);
        final Arena arena = Arena.ofShared();
        try
        {
            this.segment = file.channel().map(readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE,
                0, size, arena);
        }
        catch (final IOException | RuntimeException ex)
        {
            arena.close();
            throw ex;
        }
        this.arena = arena;
        this.address = segment.address();
        this.reserve = size;
    }

    /**
     * Maps {@code [0, reserve)} of a file natively, past its end, so that it can grow under the mapping (see
     * {@link RegionOpener#openGrowable(Path, long)}).
     */
    MappedRegion(final LockedFile file, final long size, final long reserve) throws IOException
    {
        this.path = file.path();
        this.file = file;
        this.size = size;
        this.failStop = new FailStop(path, false);
        this.arena = null;
        this.segment = null;
        this.reserve = reserve;
        this.address = NativeIo.mmapShared(file.descriptor(), reserve, path);
    }

    /**
     * {@return the length of the mapping: the size the file can grow to without being remapped}
     */
    public long reserve()
    {
        return reserve;
    }

    /**
     * Grows the file to {@code newSize} bytes under the mapping, with the new blocks reserved (a full disk fails
     * here, not at a later write through the mapping). One caller at a time.
     *
     * @param newSize the new size, in {@code (size(), reserve()]}.
     * @throws IllegalArgumentException if {@code newSize} is not in {@code (size(), reserve()]}.
     * @throws io.rangedmmap.mmap.NativeCallException if the blocks cannot be reserved ({@code ENOSPC}); the file keeps
     *                                                its size and the mapping stays healthy.
     * @throws IOException              on any other I/O error.
     */
    public void extend(final long newSize) throws IOException
    {
        failStop.checkWritable();
        final long current = size;
        if (newSize <= current || newSize > reserve)
        {
            throw new IllegalArgumentException("newSize=" + newSize + " must be in (" + current + ", " + reserve + "]");
        }
        file.extend(current, newSize);
        // Volatile write: the new bytes are reserved before any thread's bounds check lets an access reach them.
        size = newSize;
    }

    /**
     * {@return whether the region was opened read-only}
     */
    public boolean isReadOnly()
    {
        return failStop.isReadOnly();
    }

    /**
     * {@return the absolute path of the file}
     */
    public Path path()
    {
        return path;
    }

    /**
     * {@return the size of the mapping in bytes}
     */
    public long size()
    {
        return size;
    }

    /**
     * {@return the address of the first byte of the mapping; valid only while a handle is open and inside its gate}
     */
    public long address()
    {
        return address;
    }

    /**
     * Adds a handle; called by {@code share}.
     *
     * @throws IllegalStateException if the region was already released.
     */
    public void retain()
    {
        int count;
        do
        {
            count = handles.get();
            if (count <= 0)
            {
                throw new IllegalStateException("mapping of " + path + " is closed");
            }
        }
        while (!handles.compareAndSet(count, count + 1));
    }

    /**
     * Drops a handle; the last one unmaps the file, releases the lock and closes the channel. The caller has
     * already drained its gate.
     */
    public void release()
    {
        if (0 != handles.decrementAndGet())
        {
            return;
        }
        try
        {
            if (null != arena)
            {
                arena.close();
            }
            else
            {
                NativeIo.munmap(address, reserve);
            }
        }
        catch (final IOException ex)
        {
            LOG.error("munmap of {} failed", path, ex);
        }
        finally
        {
            file.close();
        }
        LOG.info("closed {}{}", path, null == failStop.failure() ? "" : " (failed)");
    }

    /**
     * {@return the file's fail-stop state, shared by every handle on it}
     */
    public FailStop failStop()
    {
        return failStop;
    }

    /**
     * {@return the locked file under the mapping, for {@link WriteThrough}}
     */
    LockedFile file()
    {
        return file;
    }

    /**
     * Makes {@code [offset, offset + length)} durable with {@code msync(MS_SYNC)}, widened to whole pages.
     *
     * @param offset the first byte, in bounds.
     * @param length how many bytes, in bounds.
     * @throws IllegalStateException if the region was opened read-only.
     * @throws IOException           if the region has failed, or the flush fails (which fails the region).
     */
    public void flush(final long offset, final long length) throws IOException
    {
        failStop.checkNotReadOnly();
        failStop.checkFlushable();
        final long from = Alignment.alignDown(offset);
        try
        {
            if (null != segment)
            {
                segment.asSlice(from, offset + length - from).force();
            }
            else
            {
                NativeIo.msync(address + from, offset + length - from);
            }
        }
        catch (final IOException ex)
        {
            // The native msync of a growable mapping: the first flush error fails the file for good, as force's does.
            failStop.fail(ex);
            throw new IOException("msync of [" + offset + ", " + (offset + length) + ") of " + path + " failed", ex);
        }
        catch (final UncheckedIOException ex)
        {
            failStop.fail(ex.getCause());
            throw new IOException("msync of [" + offset + ", " + (offset + length) + ") of " + path + " failed",
                ex.getCause());
        }
        catch (final InternalError ex)
        {
            throw new IOException(fault(ex, "flush", offset, length));
        }
        // A concurrent flush may have failed meanwhile: report nothing as durable once the file has failed.
        failStop.checkFlushable();
    }

    /**
     * Applies an {@code madvise} hint to {@code [offset, offset + length)}, widened to whole pages.
     *
     * @param offset the first byte, in bounds.
     * @param length how many bytes, in bounds.
     * @param advice the hint.
     * @throws NativeCallException if the kernel refuses the hint.
     */
    public void advise(final long offset, final long length, final Advice advice) throws NativeCallException
    {
        final long from = Alignment.alignDown(offset);
        NativeIo.madvise(address + from, offset + length - from, advice.code());
    }

    /**
     * Runs {@code writer} over {@code view}, a view of {@code [offset, offset + view.capacity())} of the mapping,
     * turns a fault into a typed exception, and leaves the view with capacity 0 afterwards.
     *
     * @param view   the view, wrapped on the bytes to write.
     * @param offset where the view starts in the mapping, for messages.
     * @param writer the caller's code.
     * @throws MappingFaultException if the mapping faults; the region is failed.
     */
    public void write(final UnsafeBuffer view, final long offset, final RangeWriter writer)
    {
        try
        {
            writer.write(view);
            NativeIo.deliverPendingFaults();
        }
        catch (final InternalError ex)
        {
            throw fault(ex, "write", offset, view.capacity());
        }
        finally
        {
            invalidate(view);
        }
    }

    /**
     * Runs {@code reader} over {@code view}, a view of {@code [offset, offset + view.capacity())} of the mapping,
     * turns a fault into a typed exception, and leaves the view with capacity 0 afterwards.
     *
     * @param view   the view, wrapped on the bytes to read.
     * @param offset where the view starts in the mapping, for messages.
     * @param reader the caller's code.
     * @throws MappingFaultException if the mapping faults; the region is failed.
     */
    public void read(final UnsafeBuffer view, final long offset, final RangeReader reader)
    {
        try
        {
            reader.read(view);
            NativeIo.deliverPendingFaults();
        }
        catch (final InternalError ex)
        {
            throw fault(ex, "read", offset, view.capacity());
        }
        finally
        {
            invalidate(view);
        }
    }

    private static void invalidate(final UnsafeBuffer view)
    {
        // A view kept past its callback now has capacity 0 and no longer points into the mapping.
        view.wrap(EMPTY);
    }

    /**
     * Copies bytes from a heap array into the mapping; no checks.
     *
     * @param src       the array.
     * @param srcOffset first byte of the array.
     * @param offset    where in the mapping.
     * @param length    how many bytes.
     * @throws MappingFaultException if the mapping faults; the region is failed.
     */
    public void copyFrom(final byte[] src, final int srcOffset, final long offset, final int length)
    {
        copy(src, ARRAY_BASE + srcOffset, null, address + offset, length, true, offset);
    }

    /**
     * Copies bytes from the mapping into a heap array; no checks.
     *
     * @param offset    where in the mapping.
     * @param dst       the array.
     * @param dstOffset first byte of the array.
     * @param length    how many bytes.
     * @throws MappingFaultException if the mapping faults; the region is failed.
     */
    public void copyTo(final long offset, final byte[] dst, final int dstOffset, final int length)
    {
        copy(null, address + offset, dst, ARRAY_BASE + dstOffset, length, false, offset);
    }

    /**
     * Copies the remaining bytes of a buffer into the mapping and advances its position; no checks.
     *
     * @param src    heap or direct buffer.
     * @param offset where in the mapping.
     * @throws MappingFaultException if the mapping faults; the region is failed.
     */
    public void copyFrom(final ByteBuffer src, final long offset)
    {
        final int length = src.remaining();
        if (src.hasArray())
        {
            copy(src.array(), ARRAY_BASE + src.arrayOffset() + src.position(), null, address + offset, length, true,
                offset);
        }
        else if (src.isDirect())
        {
            copy(null, BufferUtil.address(src) + src.position(), null, address + offset, length, true, offset);
        }
        else
        {
            // A read-only heap buffer hides its array: copy it through a heap segment (allocates; a rare case).
            final byte[] bytes = new byte[length];
            src.duplicate().get(bytes);
            copy(bytes, ARRAY_BASE, null, address + offset, length, true, offset);
        }
        src.position(src.position() + length);
    }

    /**
     * Fills the remaining bytes of a buffer from the mapping and advances its position; no checks.
     *
     * @param offset where in the mapping.
     * @param dst    heap or direct buffer, writable.
     * @throws MappingFaultException if the mapping faults; the region is failed.
     */
    public void copyTo(final long offset, final ByteBuffer dst)
    {
        final int length = dst.remaining();
        if (dst.isReadOnly())
        {
            // What MemorySegment.copy into a read-only buffer throws.
            throw new IllegalArgumentException("Attempt to write a read-only segment");
        }
        if (dst.hasArray())
        {
            copy(null, address + offset, dst.array(), ARRAY_BASE + dst.arrayOffset() + dst.position(), length, false,
                offset);
        }
        else
        {
            copy(null, address + offset, null, BufferUtil.address(dst) + dst.position(), length, false, offset);
        }
        dst.position(dst.position() + length);
    }

    /**
     * The one copy between the mapping and the caller's memory: an unsafe copy, then a trivial downcall so that a
     * fault surfaces inside this method (see {@link #fault}).
     */
    private void copy(
        final Object srcBase, final long srcAddress, final Object dstBase, final long dstAddress, final int length,
        final boolean write, final long offset)
    {
        try
        {
            UnsafeApi.copyMemory(srcBase, srcAddress, dstBase, dstAddress, length);
            NativeIo.deliverPendingFaults();
        }
        catch (final InternalError ex)
        {
            throw fault(ex, write ? "write" : "read", offset, length);
        }
    }

    /**
     * The one place a mapping fault is recognised and turned into a {@link MappingFaultException}; only the copy
     * routines and callbacks of this class call it, from a {@code catch} around their access to the mapping.
     *
     * <p><b>The JVM behaviour this relies on</b> (Java 25, HotSpot): when an unsafe access to a mapped file raises
     * {@code SIGBUS} (the file was truncated under the mapping, the disk failed, a sparse file found no block on a full
     * disk), the JVM throws {@code java.lang.InternalError} itself, of exactly that class. Interpreted code and the
     * {@code Unsafe.copyMemory} intrinsic throw it at the faulting access; JIT-compiled accesses record it as an
     * asynchronous exception, thrown at the thread's next safepoint poll, which may come after the accessing method
     * returned. Every copy and callback here is therefore followed, inside the same {@code try}, by
     * {@link NativeIo#deliverPendingFaults()}, a trivial downcall whose return to Java is such a poll. (Java 17
     * reported the same fault tens of MiB later, which is why the library needs Java 25.)
     *
     * <p>So a fault is recognised by type and origin, never by message text: an error whose class is exactly
     * {@code InternalError}, thrown out of one of this class's accesses to the mapping. Anything else is rethrown.
     *
     * @param error     what the JVM threw.
     * @param operation what was being done.
     * @param offset    where.
     * @param length    how many bytes.
     * @return the exception to throw.
     * @throws InternalError if {@code error} is a subclass (not the JVM's unsafe-access report).
     */
    private MappingFaultException fault(
        final InternalError error, final String operation, final long offset, final long length)
    {
        if (InternalError.class != error.getClass())
        {
            throw error;
        }
        final MappingFaultException ex = new MappingFaultException(operation + " of [" + offset + ", " +
            (offset + length) + ") of " + path + " faulted (file truncated, disk error or disk full)", error);
        failStop.fail(ex);
        return ex;
    }

    @Override
    public String toString()
    {
        return "MappedRegion{path=" + path + ", size=" + size + "}";
    }
}

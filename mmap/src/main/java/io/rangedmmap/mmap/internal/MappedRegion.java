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
import io.rangedmmap.mmap.FileLockedException;
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
import java.util.concurrent.atomic.AtomicReference;

/**
 * One file mapped read-write as a single segment of a shared {@link Arena}, held with an exclusive lock, shared by
 * every handle on it and unmapped when the last handle releases it.
 *
 * <p>It owns the file's fail-stop state: the first flush error or mapping fault fails the region, after which every
 * write and flush through any handle throws with that first error as the cause. A failed flush is never retried,
 * since Linux may report a later flush as successful after dropping the data (fsyncgate).
 *
 * <p><b>Thread safety:</b> all methods are safe from any thread. Callers keep accesses inside a
 * {@link HandleGate} so the region is never unmapped under an access.
 */
public final class MappedRegion
{
    /**
     * The largest file the library maps: 16 TiB, ext4's own limit. Bounding it leaves the concurrent allocator's
     * counter room for 2^18 simultaneous overshooting requests before it could come near {@code Long.MAX_VALUE}.
     */
    public static final long MAX_SIZE = 1L << 44;

    /**
     * The longest mapping {@link #openGrowable(Path, long)} makes: 32 TiB, room for a page store of 16 TiB of user
     * pages and its metadata.
     */
    public static final long MAX_RESERVE = 1L << 45;

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
    private final boolean readOnly;
    private final AtomicInteger handles = new AtomicInteger(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private MappedRegion(final LockedFile file, final long size, final boolean readOnly) throws IOException
    {
        this.path = file.path();
        this.file = file;
        this.size = size;
        this.readOnly = readOnly;
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
     * {@link #openGrowable(Path, long)}).
     */
    private MappedRegion(final LockedFile file, final long size, final long reserve) throws IOException
    {
        this.path = file.path();
        this.file = file;
        this.size = size;
        this.readOnly = false;
        this.arena = null;
        this.segment = null;
        this.reserve = reserve;
        this.address = NativeIo.mmapShared(file.descriptor(), reserve, path);
    }

    /**
     * Opens an existing file read-write and maps {@code reserve} bytes of it, or its whole size if that is larger:
     * the mapping reaches past the end of the file, which {@link #extend(long)} then grows under it. Nothing is ever
     * remapped or moved, so an address handed out stays valid however the file grows: the approach of LMDB, which
     * maps its whole map size and grows the file beneath. ({@code FileChannel.map} cannot map past the end: it
     * extends the file to the mapped size.) Pages past the end of the file fault if touched; the caller keeps its
     * accesses inside {@link #size()}, which the bounds checks of {@code RawMmapFile} enforce.
     *
     * @param path    the file.
     * @param reserve the length of the mapping, at most {@link #MAX_RESERVE}.
     * @return the mapping.
     * @throws IOException if the file cannot be opened, locked or mapped.
     */
    public static MappedRegion openGrowable(final Path path, final long reserve) throws IOException
    {
        if (reserve <= 0 || reserve > MAX_RESERVE)
        {
            throw new IllegalArgumentException("reserve=" + reserve + " must be in [1, " + MAX_RESERVE + "]");
        }
        final LockedFile file = LockedFile.open(path);
        try
        {
            final long size = file.channel().size();
            if (0 == size)
            {
                throw new IOException("cannot map " + file.path() + ": the file is empty (size=0)");
            }
            if (size > MAX_RESERVE)
            {
                throw new IOException("cannot map " + file.path() + ": size=" + size + " is over the limit of " +
                    MAX_RESERVE);
            }
            final MappedRegion region = new MappedRegion(file, size, Math.max(size, reserve));
            LOG.info("opened {} size={} reserve={}", file.path(), size, reserve);
            return region;
        }
        catch (final IOException | RuntimeException ex)
        {
            file.close();
            throw ex;
        }
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
        checkNotFailed();
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
     * Creates a file of {@code size} bytes, reserves its blocks unless {@code sparse}, makes its creation durable
     * and maps it; see {@link LockedFile#create} for how a crash or a racing create is handled.
     *
     * @param path    the file.
     * @param size    its size in bytes, in {@code [1, MAX_SIZE]}.
     * @param replace replace an existing file instead of refusing it.
     * @param sparse  leave the file sparse instead of reserving its blocks.
     * @return the region, with one handle.
     * @throws IOException on any I/O error; nothing this call created is left behind.
     */
    public static MappedRegion create(final Path path, final long size, final boolean replace, final boolean sparse)
        throws IOException
    {
        checkSize(size);
        final LockedFile file = LockedFile.create(path, size, replace, sparse);
        try
        {
            final MappedRegion region = new MappedRegion(file, size, false);
            LOG.info("created {} size={} sparse={}", file.path(), size, sparse);
            return region;
        }
        catch (final IOException | RuntimeException ex)
        {
            file.close();
            throw ex;
        }
    }

    /**
     * Opens and maps an existing file, whole.
     *
     * @param path the file.
     * @return the region, with one handle.
     * @throws IOException on any I/O error, {@link FileLockedException} if the file is open elsewhere.
     */
    public static MappedRegion open(final Path path) throws IOException
    {
        return mapExisting(LockedFile.open(path), false);
    }

    /**
     * Opens and maps an existing file, whole, read-only, under a shared lock: other read-only opens may hold it too,
     * a writer may not. The file is opened for reading only, so a read-only file or mount is no obstacle, and
     * nothing is ever written to it.
     *
     * @param path the file.
     * @return the region, with one handle; its writes and flushes are refused.
     * @throws IOException on any I/O error, {@link FileLockedException} if a writer holds the file (in this JVM, any
     *                     open handle on it).
     */
    public static MappedRegion openReadOnly(final Path path) throws IOException
    {
        return mapExisting(LockedFile.openReadOnly(path), true);
    }

    /**
     * Maps an existing file just opened and locked, whole; closes it if that fails.
     */
    private static MappedRegion mapExisting(final LockedFile file, final boolean readOnly) throws IOException
    {
        try
        {
            final long size = file.channel().size();
            if (0 == size)
            {
                throw new IOException("cannot map " + file.path() + ": the file is empty (size=0)");
            }
            if (size > MAX_SIZE)
            {
                throw new IOException("cannot map " + file.path() + ": size=" + size + " is over the limit of " +
                    MAX_SIZE);
            }
            final MappedRegion region = new MappedRegion(file, size, readOnly);
            LOG.info("opened {}{} size={}", file.path(), readOnly ? " read-only" : "", size);
            return region;
        }
        catch (final IOException | RuntimeException ex)
        {
            file.close();
            throw ex;
        }
    }



    /**
     * {@return whether the region was opened read-only}
     */
    public boolean isReadOnly()
    {
        return readOnly;
    }

    /**
     * Checks a size for {@code create}.
     *
     * @param size the requested size.
     * @throws IllegalArgumentException if {@code size <= 0} or {@code size > MAX_SIZE}.
     */
    public static void checkSize(final long size)
    {
        if (size <= 0 || size > MAX_SIZE)
        {
            throw new IllegalArgumentException("size=" + size + " must be in [1, " + MAX_SIZE + "]");
        }
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
        LOG.info("closed {}{}", path, null == failure.get() ? "" : " (failed)");
    }

    /**
     * Throws if the region is read-only or has failed; every write calls it first.
     *
     * @throws IllegalStateException if the region was opened read-only.
     * @throws IllegalStateException with the first error as its cause, if the region has failed.
     */
    public void checkNotFailed()
    {
        if (readOnly)
        {
            throw new IllegalStateException(path + " is mapped read-only and refuses all writes and flushes");
        }
        final Throwable cause = failure.get();
        if (null != cause)
        {
            throw new IllegalStateException(path + " has failed and refuses all writes and flushes: " + cause, cause);
        }
    }

    /**
     * {@return the first error that failed the region, or {@code null}}
     */
    public Throwable failure()
    {
        return failure.get();
    }

    /**
     * Fails the region; only the first cause is kept.
     *
     * @param cause the error.
     */
    public void fail(final Throwable cause)
    {
        if (failure.compareAndSet(null, cause))
        {
            LOG.error("{} failed; every later write and flush will throw", path, cause);
        }
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
        if (readOnly)
        {
            throw new IllegalStateException(path + " is mapped read-only and refuses all writes and flushes");
        }
        checkFlushable();
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
            fail(ex);
            throw new IOException("msync of [" + offset + ", " + (offset + length) + ") of " + path + " failed", ex);
        }
        catch (final UncheckedIOException ex)
        {
            fail(ex.getCause());
            throw new IOException("msync of [" + offset + ", " + (offset + length) + ") of " + path + " failed",
                ex.getCause());
        }
        catch (final InternalError ex)
        {
            throw new IOException(fault(ex, "flush", offset, length));
        }
        // A concurrent flush may have failed meanwhile: report nothing as durable once the file has failed.
        checkFlushable();
    }

    /**
     * Reads bytes at {@code offset} into a heap array with {@code pread} through the file's one descriptor, not
     * through the mapping (see {@link LockedFile#readAt}); it sees what the mapping sees (one page cache). No bounds
     * checks.
     *
     * @param dst       the array.
     * @param dstOffset first byte of the array.
     * @param offset    where in the file.
     * @param length    how many bytes.
     * @throws IOException if the read fails (its errno is kept in a {@code NativeCallException}).
     */
    public void readThrough(final byte[] dst, final int dstOffset, final long offset, final int length)
        throws IOException
    {
        file.readAt(offset, dst, dstOffset, length);
    }

    /**
     * Writes bytes of a heap array at {@code offset} with {@code pwrite} through the file's one descriptor, not
     * through the mapping (see {@link LockedFile#writeAt}); the mapping sees them at once. No bounds checks. A failed
     * region does not refuse it: the flush that must follow does.
     *
     * @param src       the array.
     * @param srcOffset first byte of the array.
     * @param offset    where in the file.
     * @param length    how many bytes.
     * @throws IllegalStateException if the region was opened read-only.
     * @throws IOException           if the write fails (its errno is kept in a {@code NativeCallException}).
     */
    public void writeThrough(final byte[] src, final int srcOffset, final long offset, final int length)
        throws IOException
    {
        if (readOnly)
        {
            throw new IllegalStateException(path + " is mapped read-only and refuses all writes and flushes");
        }
        file.writeAt(offset, src, srcOffset, length);
    }

    /**
     * Writes the first {@code length} bytes of a native segment at {@code offset} with {@code pwrite}, as
     * {@link #writeThrough(byte[], int, long, int)} does, allocating nothing.
     *
     * @param buffer    the bytes, native memory.
     * @param length    how many bytes.
     * @param offset    where in the file.
     * <p>A write through the mapping into a file truncated under it faults; a {@code pwrite} would extend the file
     * again, silently, and leave zeros in place of what the truncation took. So the write is followed by an
     * {@code fstat}: a file smaller than the mapping fails the region, as a fault does.
     *
     * @param callState the caller's call state.
     * @throws IllegalStateException if the region was opened read-only.
     * @throws IOException           if the write fails (its errno is kept in a {@code NativeCallException}), or
     *                               found the file truncated (which fails the region).
     */
    public void writeThrough(final MemorySegment buffer, final long length, final long offset,
        final MemorySegment callState) throws IOException
    {
        if (readOnly)
        {
            throw new IllegalStateException(path + " is mapped read-only and refuses all writes and flushes");
        }
        file.writeAt(offset, buffer, length, callState);
        // The size is published after a growth extended the file, so only a truncation makes the file smaller.
        final long mapped = size;
        final long actual = file.size(callState);
        if (actual < mapped)
        {
            final IOException ex = new IOException("pwrite of [" + offset + ", " + (offset + length) + ") of " +
                path + " found the file truncated under its mapping (size=" + actual + ", mapped=" + mapped +
                "; another process truncated it): the bytes past the truncation are lost");
            fail(ex);
            throw ex;
        }
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
        fail(ex);
        return ex;
    }

    @Override
    public String toString()
    {
        return "MappedRegion{path=" + path + ", size=" + size + "}";
    }

    private void checkFlushable() throws IOException
    {
        final Throwable cause = failure.get();
        if (null != cause)
        {
            throw new IOException(path + " has failed and refuses all flushes: " + cause, cause);
        }
    }
}

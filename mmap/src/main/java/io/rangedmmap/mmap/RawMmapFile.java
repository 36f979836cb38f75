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
package io.rangedmmap.mmap;

import io.rangedmmap.mmap.internal.HandleGate;
import io.rangedmmap.mmap.internal.MappedRegion;
import io.rangedmmap.mmap.internal.RegionOpener;
import io.rangedmmap.mmap.internal.RawFileAccess;
import io.rangedmmap.mmap.internal.RuntimeFlags;
import io.rangedmmap.mmap.internal.WriteThrough;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A memory-mapped file written and read at any offset, with no ranges and no overlap checks: the Rust crate's
 * {@code MmapFileInner}, for callers that keep their own bookkeeping (the page store is one).
 *
 * <p><b>The caller's job:</b> two threads writing overlapping bytes at once, or reading bytes another thread is
 * writing, get unspecified contents (never a crash). Use {@link MmapFile} to have the library enforce this.
 *
 * <p><b>What is still checked:</b> every access is bounds-checked against the file's size and throws
 * {@link IndexOutOfBoundsException} before touching memory; a closed handle throws {@link IllegalStateException};
 * a mapping fault throws {@link MappingFaultException}. Durability, failure and lifecycle are as for
 * {@link MmapFile}: {@link #flushRange(long, long)} is {@code msync(MS_SYNC)} of that range, the first flush error
 * fails the file.
 *
 * <p><b>Thread safety:</b> a handle may be used by any number of threads at once; {@code close} must not be called
 * from inside a callback of the same handle.
 */
public final class RawMmapFile implements AutoCloseable
{
    private static final byte[] EMPTY = new byte[0];

    /**
     * This thread's spare view for the zero-copy paths, so they allocate nothing. A call takes it for its duration; a
     * nested call (a callback that reads another file) finds none and makes its own. A view is wrapped on the mapping
     * only inside the gate and emptied before the gate is left, so a view the caller kept never points at memory
     * that may be unmapped: at most, while a later call on this thread runs, at the bytes that call may access.
     */
    private static final ThreadLocal<SpareView> SPARE = ThreadLocal.withInitial(SpareView::new);

    static
    {
        // Before any handle exists: the store's checkpoint writes through the file's descriptor (see RawFileAccess).
        RawFileAccess.install(new Internals());
    }

    private final MappedRegion region;
    private final HandleGate gate;

    RawMmapFile(final MappedRegion region)
    {
        this.region = region;
        this.gate = new HandleGate(region.path().toString());
    }

    /**
     * Creates a file of {@code size} bytes with its blocks reserved (unless {@link CreateOption#SPARSE}) and maps
     * it; the creation is durable when this returns.
     *
     * @param path    the file to create.
     * @param size    the size in bytes.
     * @param options {@link CreateOption#REPLACE_EXISTING}, {@link CreateOption#SPARSE}.
     * @return the open file.
     * @throws IllegalArgumentException          if {@code size <= 0} or {@code size > 2^44}.
     * @throws java.nio.file.FileAlreadyExistsException if the file exists and {@code REPLACE_EXISTING} is not given.
     * @throws FileLockedException               if the file to replace is open in this or another process.
     * @throws NativeCallException               if the blocks cannot be reserved ({@code ENOSPC}: disk full).
     * @throws IOException                       on any other I/O error; no file is left behind.
     * @throws MissingJvmFlagException           if a needed JVM flag is missing.
     */
    public static RawMmapFile create(final Path path, final long size, final CreateOption... options)
        throws IOException
    {
        Objects.requireNonNull(path, "path");
        // Before anything loads Agrona: a missing flag is one clear exception, not an IllegalAccessError.
        RuntimeFlags.check();
        final boolean replace = Arrays.asList(options).contains(CreateOption.REPLACE_EXISTING);
        final boolean sparse = Arrays.asList(options).contains(CreateOption.SPARSE);
        return new RawMmapFile(RegionOpener.create(path, size, replace, sparse));
    }

    /**
     * Opens and maps an existing file, whole.
     *
     * @param path the file.
     * @return the open file.
     * @throws java.nio.file.NoSuchFileException if the file does not exist.
     * @throws FileLockedException        if the file is open in this or another process.
     * @throws IOException                if the file is empty or on any other I/O error.
     * @throws MissingJvmFlagException    if a needed JVM flag is missing.
     */
    public static RawMmapFile open(final Path path) throws IOException
    {
        Objects.requireNonNull(path, "path");
        RuntimeFlags.check();
        return new RawMmapFile(RegionOpener.open(path));
    }

    /**
     * Opens and maps an existing file, whole, read-only: the file is opened for reading only (a read-only file or
     * mount is fine) under a shared lock, which other read-only handles may share and a writer may not. Every write
     * and flush is refused with {@link IllegalStateException}; nothing is ever written to the file.
     *
     * @param path the file.
     * @return the open file.
     * @throws java.nio.file.NoSuchFileException if the file does not exist.
     * @throws FileLockedException        if a writer holds the file, or it is open in this JVM.
     * @throws IOException                if the file is empty or on any other I/O error.
     * @throws MissingJvmFlagException    if a needed JVM flag is missing.
     */
    public static RawMmapFile openReadOnly(final Path path) throws IOException
    {
        Objects.requireNonNull(path, "path");
        RuntimeFlags.check();
        return new RawMmapFile(RegionOpener.openReadOnly(path));
    }

    /**
     * Opens an existing file read-write and maps {@code reserve} bytes of it (or its whole size, if larger), so that
     * it can grow by {@link #extend(long)} up to {@code reserve} bytes without ever being remapped: every address and
     * zero-copy view handed out stays valid while the file grows. The mapping reaches past the end of the file (a
     * native {@code mmap}); accesses stay bounded by {@link #size()}, the file's current size.
     *
     * @param path    the file.
     * @param reserve the length of the mapping, in {@code [1, 2^45]}: the largest size the file can grow to.
     * @return the open file.
     * @throws IllegalArgumentException          if {@code reserve} is out of range.
     * @throws java.nio.file.NoSuchFileException if the file does not exist.
     * @throws FileLockedException               if the file is open in this or another process.
     * @throws IOException                       if the file is empty, or on any other I/O error.
     * @throws MissingJvmFlagException           if a needed JVM flag is missing.
     */
    public static RawMmapFile openGrowable(final Path path, final long reserve) throws IOException
    {
        Objects.requireNonNull(path, "path");
        RuntimeFlags.check();
        return new RawMmapFile(RegionOpener.openGrowable(path, reserve));
    }

    /**
     * Grows a file opened by {@link #openGrowable(Path, long)} to {@code newSize} bytes, with the new blocks reserved,
     * under its mapping; nothing already mapped moves. Callers serialise their calls; accesses may run meanwhile.
     *
     * @param newSize the new size, above {@link #size()} and at most the mapping's reserve.
     * @throws IllegalArgumentException if {@code newSize} is not above {@link #size()} or is beyond the reserve.
     * @throws IllegalStateException    if this handle is closed, or the file has failed or is read-only.
     * @throws NativeCallException      if the blocks cannot be reserved ({@code ENOSPC}: disk full); the file keeps
     *                                  its size and stays healthy.
     * @throws IOException              on any other I/O error.
     */
    public void extend(final long newSize) throws IOException
    {
        final int cell = enterWrite();
        try
        {
            region.extend(newSize);
        }
        finally
        {
            gate.exit(cell);
        }
    }

    /**
     * {@return the size the file can grow to under its mapping: its size, unless opened by
     * {@link #openGrowable(Path, long)}}
     */
    public long reserve()
    {
        return region.reserve();
    }

    /**
     * Writes all of {@code data} at {@code offset}.
     *
     * @param offset where in the file.
     * @param data   the bytes.
     * @throws IndexOutOfBoundsException if {@code [offset, offset + data.length)} is not inside the file.
     * @throws IllegalStateException     if this handle is closed, the file has failed or was opened read-only.
     * @throws MappingFaultException     if the mapping faults; the file is failed.
     */
    public void writeAt(final long offset, final byte[] data)
    {
        writeAt(offset, data, 0, data.length);
    }

    /**
     * Writes {@code length} bytes of {@code data} from {@code dataOffset} at {@code offset}.
     *
     * @param offset     where in the file.
     * @param data       the bytes.
     * @param dataOffset first byte of {@code data} to write.
     * @param length     how many bytes.
     * @throws IndexOutOfBoundsException if the slice is not inside {@code data} or the target not inside the file.
     * @throws IllegalStateException     if this handle is closed, the file has failed or was opened read-only.
     * @throws MappingFaultException     if the mapping faults; the file is failed.
     */
    public void writeAt(final long offset, final byte[] data, final int dataOffset, final int length)
    {
        Objects.checkFromIndexSize(dataOffset, length, data.length);
        Objects.checkFromIndexSize(offset, length, region.size());
        final int cell = enterWrite();
        try
        {
            region.copyFrom(data, dataOffset, offset, length);
        }
        finally
        {
            gate.exit(cell);
        }
    }

    /**
     * Writes the remaining bytes of {@code data} at {@code offset} and advances its position to its limit.
     *
     * @param offset where in the file.
     * @param data   heap or direct bytes.
     * @throws IndexOutOfBoundsException if the target is not inside the file.
     * @throws IllegalStateException     if this handle is closed, the file has failed or was opened read-only.
     * @throws MappingFaultException     if the mapping faults; the file is failed.
     */
    public void writeAt(final long offset, final ByteBuffer data)
    {
        Objects.checkFromIndexSize(offset, data.remaining(), region.size());
        final int cell = enterWrite();
        try
        {
            region.copyFrom(data, offset);
        }
        finally
        {
            gate.exit(cell);
        }
    }

    /**
     * Writes {@code [offset, offset + length)} in place through a view valid only during the call.
     *
     * @param offset where in the file.
     * @param length how many bytes the view covers.
     * @param writer fills the view.
     * @throws IndexOutOfBoundsException if the target is not inside the file or {@code length < 0}.
     * @throws IllegalStateException     if this handle is closed, the file has failed or was opened read-only.
     * @throws MappingFaultException     if the mapping faults; the file is failed.
     */
    public void writeAt(final long offset, final int length, final RangeWriter writer)
    {
        Objects.checkFromIndexSize(offset, length, region.size());
        Objects.requireNonNull(writer, "writer");
        final SpareView spare = SPARE.get();
        final UnsafeBuffer view = spare.take();
        try
        {
            writeView(view, offset, length, writer);
        }
        finally
        {
            spare.view = view;
        }
    }

    /**
     * The one zero-copy write path: wraps {@code view} on {@code [offset, offset + length)} inside the gate, runs
     * {@code writer} over it, and leaves it with capacity 0. Bounds are checked by the caller.
     */
    void writeView(final UnsafeBuffer view, final long offset, final int length, final RangeWriter writer)
    {
        final int cell = enterWrite();
        try
        {
            view.wrap(region.address() + offset, length);
            region.write(view, offset, writer);
        }
        finally
        {
            gate.exit(cell);
        }
    }

    /**
     * Reads {@code dst.length} bytes at {@code offset} into {@code dst}.
     *
     * @param offset where in the file.
     * @param dst    the destination.
     * @throws IndexOutOfBoundsException if {@code [offset, offset + dst.length)} is not inside the file.
     * @throws IllegalStateException     if this handle is closed.
     * @throws MappingFaultException     if the mapping faults; the file is failed.
     */
    public void readAt(final long offset, final byte[] dst)
    {
        readAt(offset, dst, 0, dst.length);
    }

    /**
     * Reads {@code length} bytes at {@code offset} into {@code dst} from {@code dstOffset}.
     *
     * @param offset    where in the file.
     * @param dst       the destination.
     * @param dstOffset first byte of {@code dst} to fill.
     * @param length    how many bytes.
     * @throws IndexOutOfBoundsException if the slice is not inside {@code dst} or the source not inside the file.
     * @throws IllegalStateException     if this handle is closed.
     * @throws MappingFaultException     if the mapping faults; the file is failed.
     */
    public void readAt(final long offset, final byte[] dst, final int dstOffset, final int length)
    {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        Objects.checkFromIndexSize(offset, length, region.size());
        final int cell = gate.enter();
        try
        {
            region.copyTo(offset, dst, dstOffset, length);
        }
        finally
        {
            gate.exit(cell);
        }
    }

    /**
     * Fills the remaining bytes of {@code dst} from {@code offset} and advances its position to its limit.
     *
     * @param offset where in the file.
     * @param dst    heap or direct destination.
     * @throws IndexOutOfBoundsException if the source is not inside the file.
     * @throws IllegalStateException     if this handle is closed.
     * @throws MappingFaultException     if the mapping faults; the file is failed.
     */
    public void readAt(final long offset, final ByteBuffer dst)
    {
        Objects.checkFromIndexSize(offset, dst.remaining(), region.size());
        final int cell = gate.enter();
        try
        {
            region.copyTo(offset, dst);
        }
        finally
        {
            gate.exit(cell);
        }
    }

    /**
     * Reads {@code [offset, offset + length)} in place through a view valid only during the call.
     *
     * @param offset where in the file.
     * @param length how many bytes the view covers.
     * @param reader reads the view.
     * @throws IndexOutOfBoundsException if the source is not inside the file or {@code length < 0}.
     * @throws IllegalStateException     if this handle is closed.
     * @throws MappingFaultException     if the mapping faults; the file is failed.
     */
    public void readAt(final long offset, final int length, final RangeReader reader)
    {
        Objects.checkFromIndexSize(offset, length, region.size());
        Objects.requireNonNull(reader, "reader");
        final SpareView spare = SPARE.get();
        final UnsafeBuffer view = spare.take();
        try
        {
            readView(view, offset, length, reader);
        }
        finally
        {
            spare.view = view;
        }
    }

    /**
     * The one zero-copy read path: wraps {@code view} on {@code [offset, offset + length)} inside the gate, runs
     * {@code reader} over it, and leaves it with capacity 0. Bounds are checked by the caller.
     */
    void readView(final UnsafeBuffer view, final long offset, final int length, final RangeReader reader)
    {
        final int cell = gate.enter();
        try
        {
            view.wrap(region.address() + offset, length);
            region.read(view, offset, reader);
        }
        finally
        {
            gate.exit(cell);
        }
    }

    /**
     * Makes the whole file durable ({@code msync(MS_SYNC)}).
     *
     * @throws IllegalStateException if this handle is closed, or the file was opened read-only.
     * @throws IOException           if the file has failed, or the flush fails, which fails the file.
     */
    public void flush() throws IOException
    {
        flushRange(0, region.size());
    }

    /**
     * Makes {@code [offset, offset + length)} durable ({@code msync(MS_SYNC)} of the pages that hold it).
     *
     * @param offset first byte.
     * @param length how many bytes.
     * @throws IndexOutOfBoundsException if the range is not inside the file.
     * @throws IllegalStateException     if this handle is closed, or the file was opened read-only.
     * @throws IOException               if the file has failed, or the flush fails, which fails the file.
     */
    public void flushRange(final long offset, final long length) throws IOException
    {
        Objects.checkFromIndexSize(offset, length, region.size());
        final int cell = gate.enter();
        try
        {
            region.flush(offset, length);
        }
        finally
        {
            gate.exit(cell);
        }
    }

    /**
     * Gives the kernel an access-pattern hint for {@code [offset, offset + length)}.
     *
     * @param offset first byte.
     * @param length how many bytes.
     * @param advice the hint.
     * @throws IndexOutOfBoundsException if the range is not inside the file.
     * @throws IllegalStateException     if this handle is closed.
     * @throws NativeCallException       if the kernel refuses the hint.
     */
    public void advise(final long offset, final long length, final Advice advice) throws NativeCallException
    {
        Objects.checkFromIndexSize(offset, length, region.size());
        Objects.requireNonNull(advice, "advice");
        final int cell = gate.enter();
        try
        {
            region.advise(offset, length, advice);
        }
        finally
        {
            gate.exit(cell);
        }
    }

    /**
     * {@return the size of the file in bytes}
     */
    public long size()
    {
        return region.size();
    }

    /**
     * {@return the absolute path of the file}
     */
    public Path path()
    {
        return region.path();
    }

    /**
     * {@return whether the file has failed (a flush error or a mapping fault)}
     */
    public boolean isFailed()
    {
        return null != region.failStop().failure();
    }

    /**
     * {@return whether the file was opened read-only}
     */
    public boolean isReadOnly()
    {
        return region.isReadOnly();
    }

    /**
     * {@return whether this handle is closed}
     */
    public boolean isClosed()
    {
        return gate.isClosed();
    }

    /**
     * Writes {@code data} at {@code offset} with {@code pwrite} through the file's descriptor; for
     * {@link RawFileAccess#writeThrough}. A failed file does not refuse it: the flush that must follow does.
     */
    void writeThrough(final long offset, final byte[] data) throws IOException
    {
        Objects.checkFromIndexSize(offset, data.length, region.size());
        final int cell = gate.enter();
        try
        {
            WriteThrough.write(region, data, 0, offset, data.length);
        }
        finally
        {
            gate.exit(cell);
        }
    }

    /**
     * Reads {@code dst.length} bytes at {@code offset} with {@code pread} through the file's descriptor; for
     * {@link RawFileAccess#readThrough}. A failed file does not refuse it, as the mapped reads do not.
     */
    void readThrough(final long offset, final byte[] dst) throws IOException
    {
        Objects.checkFromIndexSize(offset, dst.length, region.size());
        final int cell = gate.enter();
        try
        {
            WriteThrough.read(region, dst, 0, offset, dst.length);
        }
        finally
        {
            gate.exit(cell);
        }
    }

    /**
     * Writes the first {@code length} bytes of a native segment at {@code offset} with {@code pwrite}; for
     * {@link RawFileAccess#writeThrough(RawMmapFile, long, MemorySegment, long, MemorySegment)}. Unlike the
     * metadata write above, a failed file refuses it: it carries a writer's page, not a durability step.
     */
    void writeThrough(final long offset, final MemorySegment buffer, final long length,
        final MemorySegment callState) throws IOException
    {
        Objects.checkFromIndexSize(offset, length, region.size());
        final int cell = enterWrite();
        try
        {
            WriteThrough.write(region, buffer, length, offset, callState);
        }
        finally
        {
            gate.exit(cell);
        }
    }

    /**
     * {@return the mapping this handle is on, for the ranges and allocators of {@link MmapFile}}
     */
    MappedRegion region()
    {
        return region;
    }

    /**
     * Enters the gate for a write: refuses a closed handle, then a failed file, leaving nothing counted.
     */
    private int enterWrite()
    {
        final int cell = gate.enter();
        try
        {
            region.failStop().checkWritable();
        }
        catch (final IllegalStateException ex)
        {
            gate.exit(cell);
            throw ex;
        }
        return cell;
    }

    /**
     * Returns another handle on the same mapping; the mapping is unmapped when the last handle is closed.
     *
     * @return a new open handle.
     * @throws IllegalStateException if this handle is closed.
     */
    public RawMmapFile share()
    {
        final int cell = gate.enter();
        try
        {
            region.retain();
            return new RawMmapFile(region);
        }
        finally
        {
            gate.exit(cell);
        }
    }

    /**
     * Closes this handle: refuses new calls, waits for the accesses in flight on it, and unmaps the file and
     * releases its lock if this was the last handle. Does not flush. Closing again has no effect.
     */
    @Override
    public void close()
    {
        if (gate.close())
        {
            region.release();
        }
    }

    /**
     * The internals' way in, installed in {@link RawFileAccess}.
     */
    private static final class Internals implements RawFileAccess.Bridge
    {
        @Override
        public void writeThrough(final RawMmapFile file, final long offset, final byte[] data) throws IOException
        {
            file.writeThrough(offset, data);
        }

        @Override
        public void writeThrough(final RawMmapFile file, final long offset, final MemorySegment buffer,
            final long length, final MemorySegment callState) throws IOException
        {
            file.writeThrough(offset, buffer, length, callState);
        }

        @Override
        public void readThrough(final RawMmapFile file, final long offset, final byte[] dst) throws IOException
        {
            file.readThrough(offset, dst);
        }
    }

    @Override
    public String toString()
    {
        return "RawMmapFile{" + region.path() + ", size=" + region.size() + (gate.isClosed() ? ", closed" : "") + "}";
    }

    /**
     * Holder of one thread's spare view; see {@code SPARE}.
     */
    private static final class SpareView
    {
        UnsafeBuffer view;

        UnsafeBuffer take()
        {
            final UnsafeBuffer spare = view;
            if (null == spare)
            {
                return new UnsafeBuffer(EMPTY);
            }
            view = null;
            return spare;
        }
    }
}

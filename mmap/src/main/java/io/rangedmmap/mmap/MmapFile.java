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

import io.rangedmmap.mmap.internal.MappedRegion;
import io.rangedmmap.mmap.internal.RegionOpener;
import io.rangedmmap.mmap.internal.RuntimeFlags;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A fixed-size memory-mapped file that many threads write at once without locks, each into its own
 * non-overlapping {@link AllocatedRange}.
 *
 * <p>{@snippet :
 * try (Mapping<SequentialAllocator> mapping = MmapFile.createDefault(path, 1 << 20))
 * {
 *     AllocatedRange range = mapping.allocator().allocate(4096).orElseThrow();
 *     WriteReceipt receipt = mapping.file().writeRange(range, new byte[4096]);
 *     mapping.file().flushRange(receipt); // on disk when this returns
 * }
 * }
 *
 * <p><b>Ranges.</b> Writes and reads go through ranges issued by the file's own allocator, which come with the file
 * in a {@link Mapping}. A write must cover its range exactly; a range of another file, a retired (split) range, or a
 * range being written by another thread is refused before any byte is written.
 *
 * <p><b>Durability.</b> A write lands in the page cache: it survives a crash of this process but not a power loss
 * until it is flushed. When {@link #flushRange(WriteReceipt)} returns, that range is on disk ({@code msync} with
 * {@code MS_SYNC} of exactly that range); when {@link #syncAll()} returns, the whole file is. The first flush error
 * or mapping fault fails the file: every later write and flush, on every handle, throws with that error as the
 * cause, and nothing is reported durable that is not. The kernel may write any dirty page back at any time, so
 * after a crash an unflushed range may hold old bytes, new bytes, or a mix.
 *
 * <p><b>Lifecycle.</b> The file is held with an exclusive lock while any handle is open; {@link #share()} gives
 * another handle on the same mapping, which is unmapped when the last handle closes. Closing a handle waits for
 * the accesses in flight on it; afterwards every call on it throws {@link IllegalStateException}.
 *
 * <p><b>JVM flags:</b> {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED
 * --enable-native-access=ALL-UNNAMED}; without them the factories throw {@link MissingJvmFlagException}.
 *
 * <p><b>Thread safety:</b> a handle may be used by any number of threads at once; {@code close} must not be called
 * from inside a {@link RangeWriter} or {@link RangeReader} callback of the same handle.
 */
public final class MmapFile implements AutoCloseable
{
    /**
     * The handle every access goes through: its gate, bounds checks and fault handling are written once, there.
     * This class adds the range checks (owner, length, one writer per range) around it.
     */
    private final RawMmapFile raw;
    private final MappedRegion region;

    private MmapFile(final RawMmapFile raw)
    {
        this.raw = raw;
        this.region = raw.region();
    }

    /**
     * Creates a file of {@code size} bytes with its blocks reserved, and a {@link SequentialAllocator} for it.
     *
     * @param path the file to create; it must not exist.
     * @param size the size in bytes.
     * @return the file and its allocator.
     * @throws IllegalArgumentException          if {@code size <= 0} or {@code size > 2^44}.
     * @throws java.nio.file.FileAlreadyExistsException if the file exists.
     * @throws NativeCallException               if the blocks cannot be reserved ({@code ENOSPC}: disk full).
     * @throws IOException                       on any other I/O error; no file is left behind.
     * @throws MissingJvmFlagException           if a needed JVM flag is missing.
     */
    public static Mapping<SequentialAllocator> createDefault(final Path path, final long size) throws IOException
    {
        return create(path, size, AllocatorType.SEQUENTIAL);
    }

    /**
     * Creates a file of {@code size} bytes and an allocator of the given type for it.
     *
     * <p>The file's blocks are reserved ({@code posix_fallocate}, or zero-filling where the file system refuses it)
     * unless {@link CreateOption#SPARSE} is given, so a full disk fails here and not at a later write. Its
     * creation is made durable (file and directory fsync) before this returns.
     *
     * @param path    the file to create.
     * @param size    the size in bytes.
     * @param type    {@link AllocatorType#SEQUENTIAL} or {@link AllocatorType#CONCURRENT}.
     * @param options {@link CreateOption#REPLACE_EXISTING}, {@link CreateOption#SPARSE}.
     * @param <A>     the allocator type.
     * @return the file and its allocator.
     * @throws IllegalArgumentException          if {@code size <= 0} or {@code size > 2^44}.
     * @throws java.nio.file.FileAlreadyExistsException if the file exists and {@code REPLACE_EXISTING} is not given.
     * @throws FileLockedException               if the file to replace is open in this or another process.
     * @throws NativeCallException               if the blocks cannot be reserved ({@code ENOSPC}: disk full).
     * @throws IOException                       on any other I/O error; no file is left behind.
     * @throws MissingJvmFlagException           if a needed JVM flag is missing.
     */
    public static <A extends RangeAllocator> Mapping<A> create(
        final Path path, final long size, final AllocatorType<A> type, final CreateOption... options)
        throws IOException
    {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        // Before anything loads Agrona: a missing flag is one clear exception, not an IllegalAccessError.
        RuntimeFlags.check();
        final boolean replace = Arrays.asList(options).contains(CreateOption.REPLACE_EXISTING);
        final boolean sparse = Arrays.asList(options).contains(CreateOption.SPARSE);
        final MappedRegion region = RegionOpener.create(path, size, replace, sparse);
        return new Mapping<>(new MmapFile(new RawMmapFile(region)), type.newAllocator(region, 0));
    }

    /**
     * Opens an existing file with a {@link SequentialAllocator} that starts at offset 0.
     *
     * <p>Allocation restarts at 0: the allocator hands out the file's ranges again, to read them back or to
     * overwrite them. To append after data already there, use {@link #open(Path, AllocatorType, long)}.
     *
     * @param path the file.
     * @return the file and its allocator.
     * @throws java.nio.file.NoSuchFileException if the file does not exist.
     * @throws FileLockedException        if the file is open in this or another process.
     * @throws IOException                if the file is empty or on any other I/O error.
     * @throws MissingJvmFlagException    if a needed JVM flag is missing.
     */
    public static Mapping<SequentialAllocator> openDefault(final Path path) throws IOException
    {
        return open(path, AllocatorType.SEQUENTIAL, 0);
    }

    /**
     * Opens an existing file with an allocator that starts at offset 0; see {@link #openDefault(Path)}.
     *
     * @param path the file.
     * @param type the allocator type.
     * @param <A>  the allocator type.
     * @return the file and its allocator.
     * @throws java.nio.file.NoSuchFileException if the file does not exist.
     * @throws FileLockedException        if the file is open in this or another process.
     * @throws IOException                if the file is empty or on any other I/O error.
     * @throws MissingJvmFlagException    if a needed JVM flag is missing.
     */
    public static <A extends RangeAllocator> Mapping<A> open(final Path path, final AllocatorType<A> type)
        throws IOException
    {
        return open(path, type, 0);
    }

    /**
     * Opens an existing file with an allocator that starts at {@code resumeAt}, an offset the caller knows to be
     * free (for example, the end of what it wrote before a restart).
     *
     * @param path     the file.
     * @param type     the allocator type.
     * @param resumeAt where allocation starts: a multiple of 4096 in {@code [0, size]}.
     * @param <A>      the allocator type.
     * @return the file and its allocator.
     * @throws IllegalArgumentException   if {@code resumeAt} is negative, not a multiple of 4096, or past the end.
     * @throws java.nio.file.NoSuchFileException if the file does not exist.
     * @throws FileLockedException        if the file is open in this or another process.
     * @throws IOException                if the file is empty or on any other I/O error.
     * @throws MissingJvmFlagException    if a needed JVM flag is missing.
     */
    public static <A extends RangeAllocator> Mapping<A> open(
        final Path path, final AllocatorType<A> type, final long resumeAt) throws IOException
    {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        RuntimeFlags.check();
        if (resumeAt < 0 || 0 != (resumeAt & (Alignment.ALIGNMENT - 1)))
        {
            throw new IllegalArgumentException(
                "resumeAt=" + resumeAt + " must be a non-negative multiple of " + Alignment.ALIGNMENT);
        }
        final MappedRegion region = RegionOpener.open(path);
        if (resumeAt > region.size())
        {
            region.release();
            throw new IllegalArgumentException(
                "resumeAt=" + resumeAt + " must be <= size=" + region.size() + " of " + region.path());
        }
        return new Mapping<>(new MmapFile(new RawMmapFile(region)), type.newAllocator(region, resumeAt));
    }

    /**
     * Writes {@code data} into {@code range}, which it must fill exactly.
     *
     * @param range the range, from this file's allocator.
     * @param data  exactly {@code range.length()} bytes.
     * @return the receipt that lets the range be flushed.
     * @throws IllegalArgumentException if the range belongs to another file, or {@code data.length} differs from
     *                                  the range's length; nothing is written.
     * @throws IllegalStateException    if this handle is closed, the file has failed, or the range is being written
     *                                  or read by another thread, or was split.
     * @throws MappingFaultException    if the mapping faults (the file was truncated, the disk failed); the file is
     *                                  failed.
     */
    public WriteReceipt writeRange(final AllocatedRange range, final byte[] data)
    {
        checkRange(range, data.length);
        range.beginWrite();
        try
        {
            raw.writeAt(range.start(), data, 0, data.length);
        }
        finally
        {
            range.endWrite();
        }
        return range.receipt();
    }

    /**
     * Writes the remaining bytes of {@code data} into {@code range}, which they must fill exactly, and advances the
     * buffer's position to its limit.
     *
     * @param range the range, from this file's allocator.
     * @param data  exactly {@code range.length()} remaining bytes, heap or direct.
     * @return the receipt that lets the range be flushed.
     * @throws IllegalArgumentException if the range belongs to another file, or {@code data.remaining()} differs
     *                                  from the range's length; nothing is written.
     * @throws IllegalStateException    if this handle is closed, the file has failed, or the range is being written
     *                                  or read by another thread, or was split.
     * @throws MappingFaultException    if the mapping faults; the file is failed.
     */
    public WriteReceipt writeRange(final AllocatedRange range, final ByteBuffer data)
    {
        checkRange(range, data.remaining());
        range.beginWrite();
        try
        {
            raw.writeAt(range.start(), data);
        }
        finally
        {
            range.endWrite();
        }
        return range.receipt();
    }

    /**
     * Writes {@code range} in place: {@code writer} gets a view of exactly the range, valid only during the call.
     * The receipt is returned only if the writer returns normally.
     *
     * @param range  the range, from this file's allocator; at most {@code Integer.MAX_VALUE} bytes.
     * @param writer fills the view.
     * @return the receipt that lets the range be flushed.
     * @throws IllegalArgumentException if the range belongs to another file or is longer than
     *                                  {@code Integer.MAX_VALUE} (split it first).
     * @throws IllegalStateException    if this handle is closed, the file has failed, or the range is being written
     *                                  or read by another thread, or was split.
     * @throws MappingFaultException    if the mapping faults; the file is failed.
     */
    public WriteReceipt writeRange(final AllocatedRange range, final RangeWriter writer)
    {
        checkRange(range, range.length());
        checkViewable(range);
        Objects.requireNonNull(writer, "writer");
        range.beginWrite();
        try
        {
            // The range's own view: safe to reuse, since the range admits one writer at a time.
            raw.writeView(range.writeView(), range.start(), (int)range.length(), writer);
        }
        finally
        {
            range.endWrite();
        }
        return range.receipt();
    }

    /**
     * Reads {@code range} into {@code dst}, which it must fill exactly.
     *
     * @param range the range, from this file's allocator.
     * @param dst   exactly {@code range.length()} bytes.
     * @throws IllegalArgumentException if the range belongs to another file or {@code dst.length} differs from the
     *                                  range's length.
     * @throws IllegalStateException    if this handle is closed, or the range is being written or was split.
     * @throws MappingFaultException    if the mapping faults; the file is failed.
     */
    public void readRange(final AllocatedRange range, final byte[] dst)
    {
        checkRange(range, dst.length);
        range.beginRead();
        try
        {
            raw.readAt(range.start(), dst, 0, dst.length);
        }
        finally
        {
            range.endRead();
        }
    }

    /**
     * Reads {@code range} into the remaining bytes of {@code dst}, which it must fill exactly, and advances the
     * buffer's position to its limit.
     *
     * @param range the range, from this file's allocator.
     * @param dst   exactly {@code range.length()} remaining bytes, heap or direct.
     * @throws IllegalArgumentException if the range belongs to another file or {@code dst.remaining()} differs from
     *                                  the range's length.
     * @throws IllegalStateException    if this handle is closed, or the range is being written or was split.
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only.
     * @throws MappingFaultException    if the mapping faults; the file is failed.
     */
    public void readRange(final AllocatedRange range, final ByteBuffer dst)
    {
        checkRange(range, dst.remaining());
        if (dst.isReadOnly())
        {
            throw new java.nio.ReadOnlyBufferException();
        }
        range.beginRead();
        try
        {
            raw.readAt(range.start(), dst);
        }
        finally
        {
            range.endRead();
        }
    }

    /**
     * Reads {@code range} in place: {@code reader} gets a view of exactly the range, valid only during the call.
     *
     * @param range  the range, from this file's allocator; at most {@code Integer.MAX_VALUE} bytes.
     * @param reader reads the view.
     * @throws IllegalArgumentException if the range belongs to another file or is longer than
     *                                  {@code Integer.MAX_VALUE}.
     * @throws IllegalStateException    if this handle is closed, or the range is being written or was split.
     * @throws MappingFaultException    if the mapping faults; the file is failed.
     */
    public void readRange(final AllocatedRange range, final RangeReader reader)
    {
        checkRange(range, range.length());
        checkViewable(range);
        Objects.requireNonNull(reader, "reader");
        range.beginRead();
        try
        {
            raw.readAt(range.start(), (int)range.length(), reader);
        }
        finally
        {
            range.endRead();
        }
    }

    /**
     * Makes the receipt's range durable: when this returns, the range is on disk ({@code msync(MS_SYNC)} of
     * exactly that range, widened to whole pages at the file's unaligned end).
     *
     * @param receipt the receipt of a completed write of this file.
     * @throws IllegalArgumentException if the receipt belongs to another file.
     * @throws IllegalStateException    if this handle is closed.
     * @throws IOException              if the file has failed, or the flush fails, which fails the file.
     */
    public void flushRange(final WriteReceipt receipt) throws IOException
    {
        final AllocatedRange range = Objects.requireNonNull(receipt, "receipt").range();
        checkOwner(range);
        raw.flushRange(range.start(), range.length());
    }

    /**
     * Makes the whole file durable ({@code msync(MS_SYNC)} of the whole mapping).
     *
     * @throws IllegalStateException if this handle is closed.
     * @throws IOException           if the file has failed, or the flush fails, which fails the file.
     */
    public void syncAll() throws IOException
    {
        raw.flush();
    }

    /**
     * Gives the kernel an access-pattern hint for the whole file.
     *
     * @param advice the hint.
     * @throws IllegalStateException if this handle is closed.
     * @throws NativeCallException   if the kernel refuses the hint.
     */
    public void advise(final Advice advice) throws NativeCallException
    {
        raw.advise(0, region.size(), advice);
    }

    /**
     * Gives the kernel an access-pattern hint for one range.
     *
     * @param range  the range, from this file's allocator.
     * @param advice the hint.
     * @throws IllegalArgumentException if the range belongs to another file.
     * @throws IllegalStateException    if this handle is closed.
     * @throws NativeCallException      if the kernel refuses the hint.
     */
    public void advise(final AllocatedRange range, final Advice advice) throws NativeCallException
    {
        checkOwner(range);
        raw.advise(range.start(), range.length(), advice);
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
     * {@return whether the file has failed (a flush error or a mapping fault); a failed file refuses writes and
     * flushes on every handle}
     */
    public boolean isFailed()
    {
        return null != region.failStop().failure();
    }

    /**
     * {@return whether this handle is closed}
     */
    public boolean isClosed()
    {
        return raw.isClosed();
    }

    /**
     * Returns another handle on the same mapping, with its own lifecycle (the Rust crate's {@code clone}). Ranges and
     * receipts of the file work on every handle; the mapping is unmapped when the last handle is closed.
     *
     * @return a new open handle.
     * @throws IllegalStateException if this handle is closed.
     */
    public MmapFile share()
    {
        return new MmapFile(raw.share());
    }

    /**
     * Closes this handle: refuses new calls, waits for the writes and reads in flight on it, and unmaps the file and
     * releases its lock if this was the last handle. Does not flush: unflushed writes stay in the page cache, which
     * the kernel writes back in its own time. Closing again has no effect.
     */
    @Override
    public void close()
    {
        raw.close();
    }

    @Override
    public String toString()
    {
        return "MmapFile{" + region.path() + ", size=" + region.size() + (raw.isClosed() ? ", closed" : "") + "}";
    }

    private void checkRange(final AllocatedRange range, final long dataLength)
    {
        checkOwner(range);
        if (dataLength != range.length())
        {
            throw new IllegalArgumentException(
                "length=" + dataLength + " must equal range length=" + range.length() + " for range " + range);
        }
    }

    private void checkOwner(final AllocatedRange range)
    {
        if (Objects.requireNonNull(range, "range").region != region)
        {
            throw new IllegalArgumentException("range " + range + " was not issued by this file's allocator (" +
                region.path() + (range.region.path().equals(region.path()) ? ", an earlier mapping of it" : "") + ")");
        }
    }

    private static void checkViewable(final AllocatedRange range)
    {
        if (range.length() > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("range " + range + " of length=" + range.length() +
                " is longer than a view can be (" + Integer.MAX_VALUE + " bytes): split it first");
        }
    }
}

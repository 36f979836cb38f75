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
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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

    private static final Logger LOG = LoggerFactory.getLogger(MappedRegion.class);
    private static final int ZERO_FILL_CHUNK = 1 << 20;
    private static final long ARRAY_BASE = BufferUtil.ARRAY_BASE_OFFSET;
    private static final byte[] EMPTY = new byte[0];

    /**
     * The JVM's POSIX record locks belong to the process, and closing any channel of a file drops them all, so a
     * refused second open inside this JVM must be refused before it opens (and later closes) a channel.
     */
    private static final Set<Object> OPEN_FILES = ConcurrentHashMap.newKeySet();

    private final Path path;
    private final Object fileKey;
    private final FileChannel channel;
    private final FileLock lock;
    private final Arena arena;
    private final MemorySegment segment;
    private final long address;
    private final long size;
    private final boolean readOnly;
    private final AtomicInteger handles = new AtomicInteger(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private MappedRegion(
        final Path path, final Object fileKey, final FileChannel channel, final FileLock lock, final long size)
        throws IOException
    {
        this(path, fileKey, channel, lock, size, false);
    }

    private MappedRegion(final Path path, final Object fileKey, final FileChannel channel, final FileLock lock,
        final long size, final boolean readOnly) throws IOException
    {
        this.path = path;
        this.fileKey = fileKey;
        this.channel = channel;
        this.lock = lock;
        this.size = size;
        this.readOnly = readOnly;
        final Arena arena = Arena.ofShared();
        try
        {
            this.segment = channel.map(readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0,
                size, arena);
        }
        catch (final IOException | RuntimeException ex)
        {
            arena.close();
            throw ex;
        }
        this.arena = arena;
        this.address = segment.address();
    }

    /**
     * Creates a file of {@code size} bytes, reserves its blocks unless {@code sparse}, makes its creation durable
     * (file and directory fsync) and maps it.
     *
     * @param path    the file.
     * @param size    its size in bytes, in {@code [1, MAX_SIZE]}.
     * @param replace replace an existing file instead of refusing it.
     * @param sparse  leave the file sparse instead of reserving its blocks.
     * @return the region, with one handle.
     * @throws IOException on any I/O error; a file this call created is deleted again.
     */
    public static MappedRegion create(final Path path, final long size, final boolean replace, final boolean sparse)
        throws IOException
    {
        checkSize(size);
        final Path file = path.toAbsolutePath();
        if (Files.exists(file))
        {
            if (!replace)
            {
                throw new FileAlreadyExistsException(file.toString(), null,
                    "refusing to replace an existing file; pass CreateOption.REPLACE_EXISTING to replace it");
            }
            deleteUnlocked(file);
        }
        FileChannel channel = null;
        Object key = null;
        boolean created = false;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
            created = true;
            key = claimKey(file);
            // Reserve before locking: posix_fallocate goes through an fd of its own, and closing any fd of a file
            // drops every POSIX lock this process holds on it.
            reserve(channel, file, size, sparse);
            final FileLock lock = lock(channel, file);
            channel.force(true);
            fsyncDirectory(file);
            final MappedRegion region = new MappedRegion(file, key, channel, lock, size);
            LOG.info("created {} size={} sparse={}", file, size, sparse);
            return region;
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(channel, ex);
            if (created)
            {
                deleteQuietly(file, ex);
            }
            if (null != key)
            {
                OPEN_FILES.remove(key);
            }
            throw ex;
        }
    }

    /**
     * Deletes a file to be replaced, after checking that no handle in this JVM or another process holds it.
     * Deleting is safe for mappings elsewhere that the lock check cannot see: they keep the old inode.
     */
    private static void deleteUnlocked(final Path file) throws IOException
    {
        final Object key = claimKey(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final FileLock lock = lock(channel, file);
            Files.delete(file);
            lock.release();
        }
        finally
        {
            OPEN_FILES.remove(key);
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
        final Path file = path.toAbsolutePath();
        final Object key = claimKey(file);
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            final FileLock lock = lock(channel, file);
            final long size = channel.size();
            if (0 == size)
            {
                throw new IOException("cannot map " + file + ": the file is empty (size=0)");
            }
            if (size > MAX_SIZE)
            {
                throw new IOException("cannot map " + file + ": size=" + size + " is over the limit of " + MAX_SIZE);
            }
            final MappedRegion region = new MappedRegion(file, key, channel, lock, size);
            LOG.info("opened {} size={}", file, size);
            return region;
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(channel, ex);
            OPEN_FILES.remove(key);
            throw ex;
        }
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
        final Path file = path.toAbsolutePath();
        final Object key = claimKey(file);
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            final FileLock lock;
            try
            {
                lock = channel.tryLock(0, Long.MAX_VALUE, true);
            }
            catch (final OverlappingFileLockException ex)
            {
                throw new FileLockedException(file.toString(), "already locked in this JVM");
            }
            if (null == lock)
            {
                throw new FileLockedException(file.toString(), "locked by another process");
            }
            final long size = channel.size();
            if (0 == size || size > MAX_SIZE)
            {
                throw new IOException("cannot map " + file + ": size=" + size + " must be in [1, " + MAX_SIZE + "]");
            }
            final MappedRegion region = new MappedRegion(file, key, channel, lock, size, true);
            LOG.info("opened {} read-only size={}", file, size);
            return region;
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(channel, ex);
            OPEN_FILES.remove(key);
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
            arena.close();
        }
        finally
        {
            try
            {
                if (lock.isValid())
                {
                    lock.release();
                }
                channel.close();
            }
            catch (final IOException ex)
            {
                LOG.warn("closing {} failed", path, ex);
            }
            finally
            {
                OPEN_FILES.remove(fileKey);
            }
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
            segment.asSlice(from, offset + length - from).force();
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
     * Turns the JVM's report of a fault in the mapping into a typed exception and fails the region.
     *
     * @param error     what the JVM threw.
     * @param operation what was being done.
     * @param offset    where.
     * @param length    how many bytes.
     * @return the exception to throw.
     * @throws InternalError if {@code error} is not a mapping fault.
     */
    public MappingFaultException fault(
        final InternalError error, final String operation, final long offset, final long length)
    {
        final String message = String.valueOf(error.getMessage());
        if (!message.contains("fault occurred"))
        {
            throw error;
        }
        final MappingFaultException ex = new MappingFaultException(operation + " of [" + offset + ", " +
            (offset + length) + ") of " + path + " faulted (file truncated, disk error or disk full)", error);
        fail(ex);
        return ex;
    }

    /**
     * Runs {@code writer} over {@code view}, a view of {@code [offset, offset + view.capacity())} of the mapping,
     * turns a fault into a typed exception, and leaves the view with capacity 0 afterwards.
     *
     * @param view   the view, wrapped on the bytes to write.
     * @param offset where the view starts in the mapping, for messages.
     * @param writer the caller's code.
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
     */
    public void copyFrom(final byte[] src, final int srcOffset, final long offset, final int length)
    {
        try
        {
            UnsafeApi.copyMemory(src, ARRAY_BASE + srcOffset, null, address + offset, length);
            NativeIo.deliverPendingFaults();
        }
        catch (final InternalError ex)
        {
            throw fault(ex, "write", offset, length);
        }
    }

    /**
     * Copies bytes from the mapping into a heap array; no checks.
     *
     * @param offset    where in the mapping.
     * @param dst       the array.
     * @param dstOffset first byte of the array.
     * @param length    how many bytes.
     */
    public void copyTo(final long offset, final byte[] dst, final int dstOffset, final int length)
    {
        try
        {
            UnsafeApi.copyMemory(null, address + offset, dst, ARRAY_BASE + dstOffset, length);
            NativeIo.deliverPendingFaults();
        }
        catch (final InternalError ex)
        {
            throw fault(ex, "read", offset, length);
        }
    }

    /**
     * Copies the remaining bytes of a buffer into the mapping and advances its position; no checks.
     *
     * @param src    heap or direct buffer.
     * @param offset where in the mapping.
     */
    public void copyFrom(final ByteBuffer src, final long offset)
    {
        final int length = src.remaining();
        try
        {
            if (src.hasArray())
            {
                UnsafeApi.copyMemory(src.array(), ARRAY_BASE + src.arrayOffset() +
                    src.position(), null, address + offset, length);
            }
            else
            {
                MemorySegment.copy(MemorySegment.ofBuffer(src), 0, segment, offset, length);
            }
            NativeIo.deliverPendingFaults();
        }
        catch (final InternalError ex)
        {
            throw fault(ex, "write", offset, length);
        }
        src.position(src.position() + length);
    }

    /**
     * Fills the remaining bytes of a buffer from the mapping and advances its position; no checks.
     *
     * @param offset where in the mapping.
     * @param dst    heap or direct buffer.
     */
    public void copyTo(final long offset, final ByteBuffer dst)
    {
        final int length = dst.remaining();
        try
        {
            MemorySegment.copy(segment, offset, MemorySegment.ofBuffer(dst), 0, length);
            NativeIo.deliverPendingFaults();
        }
        catch (final InternalError ex)
        {
            throw fault(ex, "read", offset, length);
        }
        dst.position(dst.position() + length);
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

    private static Object claimKey(final Path file) throws IOException
    {
        Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        if (null == key)
        {
            key = file.toRealPath();
        }
        if (!OPEN_FILES.add(key))
        {
            throw new FileLockedException(file.toString(), "already open in this JVM; close the other handle first");
        }
        return key;
    }

    private static FileLock lock(final FileChannel channel, final Path file) throws IOException
    {
        final FileLock lock;
        try
        {
            lock = channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            throw new FileLockedException(file.toString(), "already locked in this JVM");
        }
        if (null == lock)
        {
            throw new FileLockedException(file.toString(), "locked by another process");
        }
        return lock;
    }

    private static void reserve(final FileChannel channel, final Path file, final long size, final boolean sparse)
        throws IOException
    {
        if (sparse)
        {
            channel.write(ByteBuffer.allocate(1), size - 1);
            return;
        }
        if (NativeIo.EOPNOTSUPP == NativeIo.posixFallocate(file, 0, size))
        {
            // The file system cannot reserve blocks: writing zeros reserves them the slow way, and still fails
            // here with ENOSPC rather than at a later write through the mapping.
            final ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_FILL_CHUNK);
            long position = 0;
            while (position < size)
            {
                zeros.clear().limit((int)Math.min(ZERO_FILL_CHUNK, size - position));
                while (zeros.hasRemaining())
                {
                    position += channel.write(zeros, position);
                }
            }
        }
        if (channel.size() != size)
        {
            throw new IOException("reserving " + file + " gave size=" + channel.size() + ", expected " + size);
        }
    }

    /**
     * Makes a file's directory entry durable.
     *
     * @param file the file whose directory to fsync.
     * @throws IOException if the fsync fails.
     */
    public static void fsyncDirectory(final Path file) throws IOException
    {
        final Path dir = file.toAbsolutePath().getParent();
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    private static void closeQuietly(final FileChannel channel, final Exception primary)
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                primary.addSuppressed(ex);
            }
        }
    }

    private static void deleteQuietly(final Path file, final Exception primary)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            primary.addSuppressed(ex);
        }
    }
}

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

import io.rangedmmap.mmap.NativeCallException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * FFM downcalls to libc that {@code FileChannel} does not offer: {@code posix_fallocate}, {@code madvise}, a native
 * mapping and its {@code msync}, and a {@code pwrite} that an interrupt cannot turn into a close of the file.
 *
 * <p>Every call reports failure as a {@link NativeCallException} that keeps the errno; nothing is guessed from
 * message text.
 */
@SuppressWarnings("restricted") // the downcalls are why the library asks for --enable-native-access
public final class NativeIo
{
    /**
     * {@code EINTR}: the call was interrupted by a signal and may be retried.
     */
    public static final int EINTR = 4;
    /**
     * {@code EOPNOTSUPP}: the file system cannot reserve blocks; the caller falls back to zero-filling.
     */
    public static final int EOPNOTSUPP = 95;

    private static final int EIO = 5;
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;

    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final MethodHandle POSIX_FALLOCATE;
    private static final MethodHandle MADVISE;
    private static final MethodHandle ABS;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;
    private static final MethodHandle MSYNC;
    private static final MethodHandle PWRITE;
    private static final MethodHandle PREAD;
    private static final MethodHandle LSEEK;
    /**
     * Bytes of a call state: room for the captured errno.
     */
    private static final long CALL_STATE_BYTES = CAPTURE_LAYOUT.byteSize();
    private static final int SEEK_CUR = 1;
    private static final int SEEK_END = 2;
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final int MAP_PRIVATE = 2;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final int MS_SYNC = 4;
    private static final long MAP_FAILED = -1L;

    static
    {
        final Linker linker = Linker.nativeLinker();
        final var libc = linker.defaultLookup();
        final Linker.Option errno = Linker.Option.captureCallState("errno");
        OPEN = linker.downcallHandle(libc.findOrThrow("open"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            errno, Linker.Option.firstVariadicArg(2));
        CLOSE = linker.downcallHandle(libc.findOrThrow("close"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        // posix_fallocate returns the error number itself; it does not set errno.
        POSIX_FALLOCATE = linker.downcallHandle(libc.findOrThrow("posix_fallocate"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG));
        ABS = linker.downcallHandle(libc.findOrThrow("abs"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        MADVISE = linker.downcallHandle(libc.findOrThrow("madvise"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT), errno);
        MMAP = linker.downcallHandle(libc.findOrThrow("mmap"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG), errno);
        MUNMAP = linker.downcallHandle(libc.findOrThrow("munmap"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), errno);
        MSYNC = linker.downcallHandle(libc.findOrThrow("msync"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT), errno);
        PWRITE = linker.downcallHandle(libc.findOrThrow("pwrite"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), errno);
        PREAD = linker.downcallHandle(libc.findOrThrow("pread"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), errno);
        LSEEK = linker.downcallHandle(libc.findOrThrow("lseek"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT));
    }

    /**
     * Maps {@code [0, length)} of a file shared and read-write, {@code length} may reach past the end of the file
     * (unlike {@code FileChannel.map}, which extends the file to the mapped size): the pages past the end fault if
     * touched, and become usable, at the same addresses, as the file grows under them.
     *
     * @param fd     a read-write descriptor of the file.
     * @param length the length of the mapping.
     * @param file   the file, for messages.
     * @return the address of the mapping.
     * @throws NativeCallException if {@code mmap} fails, with its errno.
     */
    public static long mmapShared(final int fd, final long length, final Path file) throws NativeCallException
    {
        return mmap(length, MAP_SHARED, fd, "mapping length=" + length + " of " + file);
    }

    /**
     * Reserves {@code length} bytes of zeroed anonymous memory, private and without swap reservation
     * ({@code MAP_NORESERVE}): the kernel backs a page only when it is first touched, so a table sized for a
     * store's largest size costs memory only for the part in use.
     *
     * @param length the length.
     * @return the address.
     * @throws NativeCallException if {@code mmap} fails, with its errno.
     */
    public static long mmapAnonymous(final long length) throws NativeCallException
    {
        return mmap(length, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, "reserving anonymous length=" + length);
    }

    private static long mmap(final long length, final int flags, final int fd, final String what)
        throws NativeCallException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            final long address = (long)MMAP.invokeExact(state, 0L, length, PROT_READ | PROT_WRITE, flags, fd, 0L);
            if (MAP_FAILED == address)
            {
                throw new NativeCallException("mmap", (int)ERRNO.get(state, 0L), what);
            }
            return address;
        }
        catch (final NativeCallException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("mmap downcall failed: " + what, t);
        }
    }

    /**
     * Calls {@code munmap(address, length)}.
     *
     * @param address the mapping's address.
     * @param length  its length.
     * @throws NativeCallException if {@code munmap} fails, with its errno.
     */
    public static void munmap(final long address, final long length) throws NativeCallException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            if (0 != (int)MUNMAP.invokeExact(state, address, length))
            {
                throw new NativeCallException("munmap", (int)ERRNO.get(state, 0L),
                    "address=0x" + Long.toHexString(address) + " length=" + length);
            }
        }
        catch (final NativeCallException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("munmap downcall failed", t);
        }
    }

    /**
     * Calls {@code msync(address, length, MS_SYNC)}: what {@code MappedByteBuffer.force} does.
     *
     * @param address page-aligned start.
     * @param length  the length.
     * @throws NativeCallException if {@code msync} fails, with its errno.
     */
    public static void msync(final long address, final long length) throws NativeCallException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            if (0 != (int)MSYNC.invokeExact(state, address, length, MS_SYNC))
            {
                throw new NativeCallException("msync", (int)ERRNO.get(state, 0L),
                    "address=0x" + Long.toHexString(address) + " length=" + length);
            }
        }
        catch (final NativeCallException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("msync downcall failed", t);
        }
    }

    private NativeIo()
    {
    }

    /**
     * Opens a second descriptor of a file, read-write, for {@link #posixFallocate}. The caller keeps it open until it
     * drops its lock on the file: closing any descriptor of a file drops every POSIX lock this process holds on it.
     *
     * @param file the file.
     * @return the descriptor.
     * @throws NativeCallException if {@code open} fails, with its errno.
     */
    public static int open(final Path file) throws NativeCallException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            final MemorySegment name = arena.allocateFrom(file.toString());
            final int fd = (int)OPEN.invokeExact(state, name, O_RDWR | O_CLOEXEC);
            if (fd < 0)
            {
                throw new NativeCallException("open", (int)ERRNO.get(state, 0L), "opening " + file);
            }
            return fd;
        }
        catch (final NativeCallException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("open downcall failed for " + file, t);
        }
    }

    /**
     * Closes a descriptor from {@link #open(Path)}.
     *
     * @param fd the descriptor.
     */
    public static void close(final int fd)
    {
        try
        {
            final int ignored = (int)CLOSE.invokeExact(fd);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("close downcall failed for fd=" + fd, t);
        }
    }

    /**
     * Reserves the disk blocks of {@code [offset, offset + length)} of a file, extending it if needed.
     *
     * @param fd     a descriptor of the file from {@link #open(Path)}.
     * @param file   the file, for messages.
     * @param offset the first byte to reserve.
     * @param length how many bytes to reserve.
     * @return 0 on success, {@link #EOPNOTSUPP} when the file system cannot reserve blocks.
     * @throws NativeCallException on any other error, such as {@code ENOSPC} for a full disk.
     */
    public static int posixFallocate(final int fd, final Path file, final long offset, final long length)
        throws NativeCallException
    {
        try
        {
            int rc;
            do
            {
                rc = (int)POSIX_FALLOCATE.invokeExact(fd, offset, length);
            }
            while (EINTR == rc);
            if (0 != rc && EOPNOTSUPP != rc)
            {
                throw new NativeCallException("posix_fallocate", rc,
                    "reserving offset=" + offset + " length=" + length + " of " + file);
            }
            return rc;
        }
        catch (final NativeCallException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("posix_fallocate downcall failed for " + file, t);
        }
    }

    /**
     * Writes {@code length} bytes of {@code data} from {@code dataOffset} at {@code offset} of a file with
     * {@code pwrite}, through the page cache, retrying short and interrupted writes. Unlike a {@code FileChannel}
     * write, a thread interrupt cannot close the descriptor (and with it the process's lock on the file).
     *
     * @param fd         a read-write descriptor of the file.
     * @param file       the file, for messages.
     * @param offset     where in the file.
     * @param data       the bytes.
     * @param dataOffset the first byte of {@code data} to write.
     * @param length     how many bytes.
     * @throws NativeCallException if {@code pwrite} fails ({@code ENOSPC}, {@code EIO}), with its errno.
     */
    public static void pwrite(final int fd, final Path file, final long offset, final byte[] data,
        final int dataOffset, final int length) throws NativeCallException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment buffer = arena.allocate(Math.max(1, length));
            MemorySegment.copy(data, dataOffset, buffer, ValueLayout.JAVA_BYTE, 0, length);
            pwrite(fd, file, offset, buffer, length, arena.allocate(CAPTURE_LAYOUT));
        }
    }

    /**
     * Reads {@code length} bytes at {@code offset} of a file into {@code dst} from {@code dstOffset} with
     * {@code pread}, from the page cache, retrying short and interrupted reads. It maps nothing: on a virtual machine
     * where the first touch of each 4 KiB mapping entry costs tens of microseconds, reading scattered pages once this
     * way costs a fraction of reading them through a mapping. Like {@link #pwrite}, a thread interrupt cannot close
     * the descriptor.
     *
     * @param fd        a readable descriptor of the file.
     * @param file      the file, for messages.
     * @param offset    where in the file.
     * @param dst       the array to fill.
     * @param dstOffset the first byte of {@code dst} to fill.
     * @param length    how many bytes.
     * @throws NativeCallException if {@code pread} fails ({@code EIO}), with its errno, or reaches the end of the file
     *                             first (reported as {@code EIO}).
     */
    public static void pread(final int fd, final Path file, final long offset, final byte[] dst, final int dstOffset,
        final int length) throws NativeCallException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment buffer = arena.allocate(Math.max(1, length));
            final MemorySegment callState = arena.allocate(CAPTURE_LAYOUT);
            long done = 0;
            while (done < length)
            {
                final MemorySegment rest = 0 == done ? buffer : buffer.asSlice(done);
                final long read = (long)PREAD.invokeExact(callState, fd, rest, length - done, offset + done);
                if (read > 0)
                {
                    done += read;
                    continue;
                }
                final int errno = read < 0 ? (int)ERRNO.get(callState, 0L) : EIO;
                if (EINTR != errno)
                {
                    // Zero bytes read before length: the file ends inside the range.
                    throw new NativeCallException("pread", errno,
                        "reading offset=" + (offset + done) + " length=" + (length - done) + " of " + file);
                }
            }
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, dst, dstOffset, length);
        }
        catch (final NativeCallException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("pread downcall failed for " + file, t);
        }
    }

    /**
     * {@return a segment for {@link #pwrite(int, Path, long, MemorySegment, long, MemorySegment)} to keep the errno
     * in, allocated in {@code arena}}
     *
     * @param arena the arena that owns it.
     */
    public static MemorySegment allocateCallState(final Arena arena)
    {
        return arena.allocate(CALL_STATE_BYTES, Long.BYTES);
    }

    /**
     * {@return the size of an open file ({@code lseek(fd, 0, SEEK_END)}), allocating nothing; moves the descriptor's
     * offset to the end, which no positional read or write uses}
     *
     * <p>Not {@code fstat}: since Linux 6.13 a query of a file's change time (which {@code fstat} makes) turns the
     * file's next timestamp update fine-grained, so a write after each query dirties the inode every time, and each
     * {@code fdatasync} or {@code msync} then writes the inode too (on ext4 without a journal, one more device write;
     * with one, a journal commit). Measured with a {@code pwrite} of a page, a metadata page and a superblock and one
     * flush: 116-122 us a commit, 150-162 us with an {@code fstat} after the first write, which added one device write
     * a commit (benchmarks/results/2026-11-30-issue14-log-prototype/flush-calls). {@code lseek} reads the size alone.
     *
     * @param fd   a descriptor of the file.
     * @param file the file, for messages.
     * @throws IOException if {@code lseek} fails (only a descriptor closed meanwhile can make it).
     */
    public static long fileSize(final int fd, final Path file) throws IOException
    {
        final long size;
        try
        {
            size = (long)LSEEK.invokeExact(fd, 0L, SEEK_END);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("lseek downcall failed for " + file, t);
        }
        if (size < 0)
        {
            throw new IOException("lseek to the end of descriptor " + fd + " of " + file + " failed");
        }
        return size;
    }

    /**
     * Writes the first {@code length} bytes of a native segment at {@code offset} of a file with {@code pwrite},
     * through the page cache, retrying short and interrupted writes; allocates nothing, for a writer's hot path.
     *
     * @param fd        a read-write descriptor of the file.
     * @param file      the file, for messages.
     * @param offset    where in the file.
     * @param buffer    the bytes, native memory.
     * @param length    how many bytes.
     * @param callState from {@link #allocateCallState(Arena)}, used by one thread at a time.
     * @throws NativeCallException if {@code pwrite} fails ({@code ENOSPC}, {@code EIO}), with its errno.
     */
    public static void pwrite(final int fd, final Path file, final long offset, final MemorySegment buffer,
        final long length, final MemorySegment callState) throws NativeCallException
    {
        try
        {
            long done = 0;
            while (done < length)
            {
                // The whole buffer on the first try: a slice (an allocation) only after a short write.
                final MemorySegment rest = 0 == done ? buffer : buffer.asSlice(done);
                final long written = (long)PWRITE.invokeExact(callState, fd, rest, length - done, offset + done);
                if (written > 0)
                {
                    done += written;
                    continue;
                }
                final int errno = written < 0 ? (int)ERRNO.get(callState, 0L) : NativeCallException.ENOSPC;
                if (EINTR != errno)
                {
                    // A zero-byte write of a non-empty buffer is how a full device may answer: reported as ENOSPC.
                    throw new NativeCallException("pwrite", errno,
                        "writing offset=" + (offset + done) + " length=" + (length - done) + " of " + file);
                }
            }
        }
        catch (final NativeCallException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("pwrite downcall failed for " + file, t);
        }
    }

    /**
     * {@return the file offset of a descriptor ({@code lseek(fd, 0, SEEK_CUR)}), or -1 if it has none (a pipe, a
     * socket, a descriptor closed meanwhile)}
     *
     * @param fd the descriptor.
     */
    public static long offsetOf(final int fd)
    {
        try
        {
            return (long)LSEEK.invokeExact(fd, 0L, SEEK_CUR);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("lseek downcall failed for fd=" + fd, t);
        }
    }

    /**
     * Calls {@code madvise(address, length, advice)}.
     *
     * @param address page-aligned start.
     * @param length  bytes.
     * @param advice  the {@code MADV_*} constant.
     * @throws NativeCallException when the kernel refuses, with its errno ({@code EINVAL} for an advice it does not
     *                             know, such as {@code MADV_POPULATE_WRITE} before Linux 5.14).
     */
    public static void madvise(final long address, final long length, final int advice) throws NativeCallException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CAPTURE_LAYOUT);
            final int rc = (int)MADVISE.invokeExact(state, address, length, advice);
            if (0 != rc)
            {
                throw new NativeCallException("madvise", (int)ERRNO.get(state, 0L),
                    "address=0x" + Long.toHexString(address) + " length=" + length + " advice=" + advice);
            }
        }
        catch (final NativeCallException ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("madvise downcall failed", t);
        }
    }

    /**
     * Makes the JVM deliver, here, a fault that an unsafe copy into the mapping raised earlier on this thread: the
     * return of a non-critical downcall ({@code abs(0)}) is a safepoint poll. Why this is needed is written once, at
     * {@code MappedRegion}'s fault recogniser.
     */
    public static void deliverPendingFaults()
    {
        try
        {
            final int ignored = (int)ABS.invokeExact(0);
        }
        catch (final InternalError ex)
        {
            throw ex;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("abs downcall failed", t);
        }
    }
}

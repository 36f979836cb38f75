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

import io.rangedmmap.mmap.FileLockedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One file opened read-write and held with an exclusive lock: the only place the library creates, opens, locks and
 * publishes files (the mmap module's {@link MappedRegion} and the store's formatter both use it).
 *
 * <p><b>Creating</b> ({@link #create}): the file is built under a unique temporary name in the target's directory
 * ({@code <name>.tmp-creating-<random>}), locked before anything else is done to it, its blocks reserved, flushed,
 * then linked to the final name only if that name is still absent (a hard link never replaces a file), and the
 * directory fsynced. A crash leaves either no file or a whole one under the final name, plus possibly an orphaned
 * temporary file, which the next create of that name removes ({@link #removeOrphans}). Two creates racing on one
 * name give one file and one {@link FileAlreadyExistsException}; a create never deletes a file it did not create.
 *
 * <p><b>Locks:</b> the JVM's POSIX record locks belong to the process, and closing any descriptor of a file drops
 * them all, so a second open of a file inside this JVM is refused before it opens (and later closes) a channel,
 * and the descriptor {@code posix_fallocate} needs is kept open until the lock is released.
 *
 * <p><b>Thread safety:</b> the static methods from any thread; an instance is used by its owner only.
 */
public final class LockedFile implements AutoCloseable
{
    /**
     * What a temporary file's name adds to the final name, before a random part.
     */
    public static final String TEMPORARY_MARK = ".tmp-creating-";

    private static final Logger LOG = LoggerFactory.getLogger(LockedFile.class);
    private static final int ZERO_FILL_CHUNK = 1 << 20;
    private static final int CREATE_ATTEMPTS = 16;
    private static final int NO_FD = -1;
    private static final Set<Object> OPEN_FILES = ConcurrentHashMap.newKeySet();

    /**
     * The one byte position an open does not lock, and a create does (its whole-file lock covers it): a cleanup of
     * orphaned temporaries locks only this byte, so it never collides with an open of a published store, and it
     * finds a temporary whose creator is alive locked.
     */
    private static final long CREATING_POSITION = Long.MAX_VALUE - 1;

    private final Object key;
    private final FileChannel channel;
    private final FileLock lock;
    /**
     * The temporary name until the file is published, then the final one.
     */
    private Path path;
    /**
     * The descriptor for native calls: the channel's own when {@link ChannelDescriptor} finds it (then
     * {@link #ownFd}), else a second one opened for them; guarded by {@code this}.
     */
    private int reserveFd = NO_FD;
    private boolean ownFd;

    private LockedFile(final Path path, final Object key, final FileChannel channel, final FileLock lock)
    {
        this.path = path;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Opens an existing file read-write and locks it.
     *
     * @param file the file.
     * @return the locked file.
     * @throws FileLockedException if the file is open in this JVM or locked by another process.
     * @throws IOException         on any other I/O error.
     */
    public static LockedFile open(final Path file) throws IOException
    {
        final Path absolute = file.toAbsolutePath();
        final Object key = claimKey(absolute);
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(absolute, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new LockedFile(absolute, key, channel, lock(channel, absolute, false));
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(channel, ex);
            OPEN_FILES.remove(key);
            throw ex;
        }
    }

    /**
     * Reads the start of a file before it is opened and locked, into {@code dst} from its position up to its limit or
     * the end of the file. The file's key is claimed for the read as an open would claim it: a descriptor opened and
     * closed here would otherwise drop the POSIX lock of a handle of the same file open in this JVM (closing any
     * descriptor of a file releases every lock the process holds on it), so a file open in this JVM is refused
     * instead, exactly as the open that follows would be.
     *
     * @param file the file.
     * @param dst  where the bytes go.
     * @throws FileLockedException if the file is open in this JVM.
     * @throws IOException         on any other I/O error.
     */
    public static void readHead(final Path file, final ByteBuffer dst) throws IOException
    {
        final Path absolute = file.toAbsolutePath();
        final Object key = claimKey(absolute);
        try (FileChannel channel = FileChannel.open(absolute, StandardOpenOption.READ))
        {
            long offset = 0;
            int read = 0;
            while (dst.hasRemaining() && read >= 0)
            {
                // A positional read advances the buffer, not the channel.
                read = channel.read(dst, offset);
                offset += Math.max(0, read);
            }
        }
        finally
        {
            OPEN_FILES.remove(key);
        }
    }

    /**
     * Opens an existing file for reading only and takes a shared lock on it: other read-only opens may share it, a
     * writer may not. A read-only file or mount is no obstacle; nothing is ever written through this descriptor.
     *
     * @param file the file.
     * @return the locked file; its {@link #channel()} is open for reading only.
     * @throws FileLockedException if the file is open in this JVM or a writer in another process holds it.
     * @throws IOException         on any other I/O error.
     */
    public static LockedFile openReadOnly(final Path file) throws IOException
    {
        final Path absolute = file.toAbsolutePath();
        final Object key = claimKey(absolute);
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(absolute, StandardOpenOption.READ);
            return new LockedFile(absolute, key, channel, lock(channel, absolute, true));
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(channel, ex);
            OPEN_FILES.remove(key);
            throw ex;
        }
    }

    /**
     * Creates a file of {@code size} bytes under its final name, durably, as the class comment describes.
     *
     * @param target  the final name.
     * @param size    the size in bytes, positive.
     * @param replace replace an existing file (atomically, by rename) instead of refusing it.
     * @param sparse  leave the file sparse instead of reserving its blocks.
     * @return the created file, locked, under its final name.
     * @throws FileAlreadyExistsException if the file exists and {@code replace} is {@code false}, or was created by
     *                                    someone else meanwhile.
     * @throws FileLockedException        if the file to replace is open in this or another process.
     * @throws IOException                on any other I/O error; nothing this call created is left behind.
     */
    public static LockedFile create(final Path target, final long size, final boolean replace, final boolean sparse)
        throws IOException
    {
        final Path file = target.toAbsolutePath();
        if (!replace && Files.exists(file))
        {
            throw alreadyExists(file);
        }
        removeOrphans(file);
        final LockedFile created = createTemporary(file);
        try
        {
            created.reserve(size, sparse);
            created.channel.force(true);
            publish(created.path, file, replace);
            created.path = file;
            syncDirectory(file.getParent());
            return created;
        }
        catch (final IOException | RuntimeException ex)
        {
            // Either the temporary name or, once published, the final name: this call's own file, still locked.
            // Until the directory is durable the name may or may not survive a crash, so a failed create removes it.
            created.closeAndDelete(ex);
            throw ex;
        }
    }

    /**
     * Creates an empty file under a fresh unique temporary name next to {@code target}, and locks it. The name is
     * checked again after the lock is held: another creator's orphan cleanup may have removed it in between, and the
     * attempt is then made again under a new name.
     */
    private static LockedFile createTemporary(final Path target) throws IOException
    {
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++)
        {
            final Path temporary = target.resolveSibling(target.getFileName() + TEMPORARY_MARK +
                Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
            final FileChannel channel;
            try
            {
                channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            }
            catch (final FileAlreadyExistsException ex)
            {
                continue;
            }
            Object key = null;
            try
            {
                key = keyOf(temporary);
                if (OPEN_FILES.add(key))
                {
                    final FileLock lock = channel.tryLock();
                    if (null != lock && key.equals(keyOf(temporary)))
                    {
                        return new LockedFile(temporary, key, channel, lock);
                    }
                    OPEN_FILES.remove(key);
                }
            }
            catch (final NoSuchFileException | OverlappingFileLockException ex)
            {
                if (null != key)
                {
                    OPEN_FILES.remove(key);
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                if (null != key)
                {
                    OPEN_FILES.remove(key);
                }
                closeQuietly(channel, ex);
                Files.deleteIfExists(temporary);
                throw ex;
            }
            // Lost to a cleanup that took the fresh, not yet locked, file for an orphan, or the key is still claimed
            // for a deleted file whose inode number the new file reuses. The name is this call's alone (CREATE_NEW
            // of a random name), so removing it can only remove this call's file; then try a new name.
            channel.close();
            Files.deleteIfExists(temporary);
        }
        throw new IOException("could not create a temporary file next to " + target + " in " + CREATE_ATTEMPTS +
            " attempts");
    }

    /**
     * Gives {@code temporary} the name {@code target}: a hard link, which fails if {@code target} exists, then the
     * temporary name is removed; with {@code replace}, an existing target not locked by anyone is replaced
     * atomically by rename. The directory is not synced.
     *
     * @param temporary the complete file, under its temporary name.
     * @param target    the final name.
     * @param replace   replace an existing target.
     * @throws FileAlreadyExistsException if {@code target} exists and {@code replace} is {@code false}.
     * @throws FileLockedException        if the target to replace is open in this or another process.
     * @throws IOException                on any other I/O error.
     */
    public static void publish(final Path temporary, final Path target, final boolean replace) throws IOException
    {
        try
        {
            Files.createLink(target, temporary);
            Files.delete(temporary);
            return;
        }
        catch (final FileAlreadyExistsException ex)
        {
            if (!replace)
            {
                throw alreadyExists(target);
            }
        }
        catch (final UnsupportedOperationException ex)
        {
            // No hard links here: check, then rename (a race with another creator is possible only on such systems).
            if (!replace && Files.exists(target))
            {
                throw alreadyExists(target);
            }
        }
        if (replace && Files.exists(target))
        {
            // Refuse to replace a file in use; rename over it while holding its lock, so nobody opens it meanwhile.
            final LockedFile existing = open(target);
            try
            {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            finally
            {
                existing.close();
            }
            return;
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Removes the temporary files that creates of {@code target} left behind when they crashed: every
     * {@code <name>.tmp-creating-*} in its directory that no process holds locked.
     *
     * @param target the final name.
     * @return the files removed.
     * @throws IOException if the directory cannot be listed.
     */
    public static List<Path> removeOrphans(final Path target) throws IOException
    {
        final List<Path> removed = new ArrayList<>();
        for (final Path candidate : temporaries(target))
        {
            final Object key;
            try
            {
                key = keyOf(candidate);
            }
            catch (final NoSuchFileException ex)
            {
                continue;
            }
            if (!OPEN_FILES.add(key))
            {
                continue;
            }
            try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                // Only the creating byte: a create holds it (its whole-file lock covers it) for as long as the
                // temporary name exists, and it is outside the range an open locks. A candidate just published (its
                // name removed after this scan listed it) is then an open store, and probing it here must not make
                // its creator's own open that follows fail as "locked by another process".
                final FileLock lock = channel.tryLock(CREATING_POSITION, 1, false);
                if (null != lock && key.equals(keyOf(candidate)))
                {
                    Files.delete(candidate);
                    removed.add(candidate);
                    LOG.warn("removed {}, left by a create of {} that did not finish", candidate, target);
                }
            }
            catch (final NoSuchFileException | OverlappingFileLockException ex)
            {
                // Gone meanwhile, or locked in this JVM: not an orphan to remove.
            }
            finally
            {
                OPEN_FILES.remove(key);
            }
        }
        return removed;
    }

    /**
     * Lists the temporary files of creates of {@code target}, finished or not.
     *
     * @param target the final name.
     * @return the paths named {@code <name>.tmp-creating-*} in its directory.
     * @throws IOException if the directory cannot be listed.
     */
    public static List<Path> temporaries(final Path target) throws IOException
    {
        final Path file = target.toAbsolutePath();
        final List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(file.getParent(),
            entry -> entry.getFileName().toString().startsWith(file.getFileName() + TEMPORARY_MARK)))
        {
            entries.forEach(found::add);
        }
        return found;
    }

    /**
     * Makes a directory's entries durable ({@code fsync} of the directory).
     *
     * @param directory the directory.
     * @throws IOException if the fsync fails.
     */
    public static void syncDirectory(final Path directory) throws IOException
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ))
        {
            channel.force(true);
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
     * {@return the channel, open read-write (read-only after {@link #openReadOnly(Path)}) while this file is open}
     */
    public FileChannel channel()
    {
        return channel;
    }

    /**
     * Releases the lock and closes the file. Errors are logged: nothing durable depends on them.
     */
    @Override
    public void close()
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
            // The channel's own descriptor was closed with it; a second one is closed only now, after the lock.
            if (NO_FD != reserveFd && !ownFd)
            {
                NativeIo.close(reserveFd);
            }
            OPEN_FILES.remove(key);
        }
    }

    private void closeAndDelete(final Exception primary)
    {
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            primary.addSuppressed(ex);
        }
        close();
    }

    private void reserve(final long size, final boolean sparse) throws IOException
    {
        if (sparse)
        {
            channel.write(ByteBuffer.allocate(1), size - 1);
            return;
        }
        reserveRange(0, size);
        if (channel.size() != size)
        {
            throw new IOException("reserving " + path + " gave size=" + channel.size() + ", expected " + size);
        }
    }

    /**
     * Extends the file to {@code size} bytes with the blocks of {@code [from, size)} reserved, so that no later write
     * through a mapping of them can fault for want of space. A failure (a full disk) truncates the file back to
     * {@code from}, so a partial reservation leaves no tail.
     *
     * @param from the current size, where the new bytes begin.
     * @param size the new size, above {@code from}.
     * @throws io.rangedmmap.mmap.NativeCallException if the blocks cannot be reserved (ENOSPC); the file is
     *                             {@code from} bytes long again.
     * @throws IOException         on any other I/O error.
     */
    public void extend(final long from, final long size) throws IOException
    {
        try
        {
            reserveRange(from, size);
        }
        catch (final IOException | RuntimeException ex)
        {
            try
            {
                channel.truncate(from);
            }
            catch (final IOException truncate)
            {
                ex.addSuppressed(truncate);
            }
            throw ex;
        }
    }

    private void reserveRange(final long from, final long size) throws IOException
    {
        if (NativeIo.EOPNOTSUPP == NativeIo.posixFallocate(descriptor(), path, from, size - from))
        {
            // The file system cannot reserve blocks: writing zeros reserves them the slow way, and still fails
            // here with ENOSPC rather than at a later write through the mapping.
            final ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_FILL_CHUNK);
            long position = from;
            while (position < size)
            {
                zeros.clear().limit((int)Math.min(ZERO_FILL_CHUNK, size - position));
                while (zeros.hasRemaining())
                {
                    position += channel.write(zeros, position);
                }
            }
        }
    }

    /**
     * {@return a raw descriptor of the file, for native calls (a mapping, {@code posix_fallocate}, {@code pwrite});
     * valid until {@link #close()}}
     *
     * <p>It is the channel's own descriptor when {@link ChannelDescriptor} can tell it (Linux), so the file has one
     * descriptor in the process; else a second one, opened once and closed only by {@link #close()}: closing any
     * descriptor of a file would drop this process's lock on it.
     *
     * @throws IOException if the channel was closed (by an interrupt during a channel call): its descriptor number
     *                     may belong to another file by now.
     * @throws io.rangedmmap.mmap.NativeCallException if a second descriptor cannot be opened.
     */
    public synchronized int descriptor() throws IOException
    {
        if (!channel.isOpen())
        {
            throw new java.nio.channels.ClosedChannelException();
        }
        if (NO_FD == reserveFd)
        {
            final int own = ChannelDescriptor.find(channel);
            ownFd = ChannelDescriptor.NOT_FOUND != own;
            reserveFd = ownFd ? own : NativeIo.open(path);
        }
        return reserveFd;
    }

    /**
     * Writes {@code length} bytes of {@code data} from {@code dataOffset} at {@code offset} with {@code pwrite}
     * through {@link #descriptor()}, into the page cache (the file's mappings see them at once); not durable until
     * flushed. An interrupt of the calling thread does not close the file.
     *
     * @param offset     where in the file.
     * @param data       the bytes.
     * @param dataOffset the first byte of {@code data} to write.
     * @param length     how many bytes.
     * @throws io.rangedmmap.mmap.NativeCallException if {@code pwrite} fails (its errno is kept).
     * @throws IOException                            if the file's channel is closed.
     */
    public void writeAt(final long offset, final byte[] data, final int dataOffset, final int length)
        throws IOException
    {
        NativeIo.pwrite(descriptor(), path, offset, data, dataOffset, length);
    }

    /**
     * Reads {@code length} bytes at {@code offset} into {@code dst} from {@code dstOffset} with {@code pread} through
     * {@link #descriptor()}, from the page cache, mapping nothing. An interrupt of the calling thread does not close
     * the file.
     *
     * @param offset    where in the file.
     * @param dst       the array to fill.
     * @param dstOffset the first byte of {@code dst} to fill.
     * @param length    how many bytes.
     * @throws io.rangedmmap.mmap.NativeCallException if {@code pread} fails or the file ends first (errno kept).
     * @throws IOException                            if the file's channel is closed.
     */
    public void readAt(final long offset, final byte[] dst, final int dstOffset, final int length) throws IOException
    {
        NativeIo.pread(descriptor(), path, offset, dst, dstOffset, length);
    }

    /**
     * Writes the first {@code length} bytes of a native segment at {@code offset} with {@code pwrite} through
     * {@link #descriptor()}, as {@link #writeAt(long, byte[], int, int)} does, allocating nothing.
     *
     * @param offset    where in the file.
     * @param buffer    the bytes, native memory.
     * @param length    how many bytes.
     * @param callState the caller's errno segment ({@link NativeIo#allocateCallState}).
     * @throws io.rangedmmap.mmap.NativeCallException if {@code pwrite} fails (its errno is kept).
     * @throws IOException                            if the file's channel is closed.
     */
    public void writeAt(final long offset, final MemorySegment buffer, final long length,
        final MemorySegment callState) throws IOException
    {
        NativeIo.pwrite(descriptor(), path, offset, buffer, length, callState);
    }

    /**
     * {@return the size of the file now (see {@link NativeIo#fileSize(int, Path)}: not {@code fstat}, which would make
     * every later flush write the inode too), allocating nothing}
     *
     * @throws IOException if the file's channel is closed or {@code lseek} fails.
     */
    public long size() throws IOException
    {
        return NativeIo.fileSize(descriptor(), path);
    }

    private static FileAlreadyExistsException alreadyExists(final Path file)
    {
        return new FileAlreadyExistsException(file.toString(), null,
            "refusing to replace an existing file; pass CreateOption.REPLACE_EXISTING to replace it");
    }

    private static Object keyOf(final Path file) throws IOException
    {
        final Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        return null == key ? file.toRealPath() : key;
    }

    private static Object claimKey(final Path file) throws IOException
    {
        final Object key = keyOf(file);
        if (!OPEN_FILES.add(key))
        {
            throw new FileLockedException(file.toString(), "already open in this JVM; close the other handle first");
        }
        return key;
    }

    private static FileLock lock(final FileChannel channel, final Path file, final boolean shared) throws IOException
    {
        final FileLock lock;
        try
        {
            lock = channel.tryLock(0, CREATING_POSITION, shared);
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
}

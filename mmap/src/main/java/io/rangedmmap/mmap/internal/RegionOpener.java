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
import java.nio.file.Path;

/**
 * Opens a file and maps it as a {@link MappedRegion}: the size limits, the checks of an existing file, and closing
 * the file again if mapping it fails. Creating, locking, reserving blocks and publishing the file are
 * {@link LockedFile}'s.
 *
 * <p><b>Thread safety:</b> static methods, safe from any thread.
 */
public final class RegionOpener
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

    private RegionOpener()
    {
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
     * Opens an existing file read-write and maps {@code reserve} bytes of it, or its whole size if that is larger:
     * the mapping reaches past the end of the file, which {@link MappedRegion#extend(long)} then grows under it.
     * Nothing is ever remapped or moved, so an address handed out stays valid however the file grows: the approach
     * of LMDB, which maps its whole map size and grows the file beneath. ({@code FileChannel.map} cannot map past
     * the end: it extends the file to the mapped size.) Pages past the end of the file fault if touched; the caller
     * keeps its accesses inside {@link MappedRegion#size()}, which the bounds checks of {@code RawMmapFile} enforce.
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
            final long size = existingSize(file, MAX_RESERVE);
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
     * Maps an existing file just opened and locked, whole; closes it if that fails.
     */
    private static MappedRegion mapExisting(final LockedFile file, final boolean readOnly) throws IOException
    {
        try
        {
            final MappedRegion region = new MappedRegion(file, existingSize(file, MAX_SIZE), readOnly);
            LOG.info("opened {}{} size={}", file.path(), readOnly ? " read-only" : "", region.size());
            return region;
        }
        catch (final IOException | RuntimeException ex)
        {
            file.close();
            throw ex;
        }
    }

    /**
     * {@return the size of an existing file, refused if empty or over {@code limit}}
     */
    private static long existingSize(final LockedFile file, final long limit) throws IOException
    {
        final long size = file.channel().size();
        if (0 == size)
        {
            throw new IOException("cannot map " + file.path() + ": the file is empty (size=0)");
        }
        if (size > limit)
        {
            throw new IOException("cannot map " + file.path() + ": size=" + size + " is over the limit of " + limit);
        }
        return size;
    }
}

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
package io.rangedmmap.store.internal;

import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.IncompatibleStoreException;
import io.rangedmmap.store.internal.format.StoreLayout;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The undo journal of an incremental backup, {@code <backup>.undo} beside the backup: the bytes of every page of the
 * backup that the incremental backup overwrites while its old checkpoint still needs them (user pages written again
 * under the same id, the metadata pages and the superblock slot it rewrites). It is made durable before the first of
 * those pages is touched and removed once the new checkpoint is durable, so a crash in between leaves a complete
 * journal, and the next writable open of the backup puts the old bytes back: the backup is at its old checkpoint
 * again, exactly. A journal cut short by a crash was never relied on (nothing was overwritten yet) and is removed.
 *
 * <pre>
 *   magic "RMMUNDO1" (8) | sequence the backup held (8) | entry count (8) |
 *   count x ( file offset (8) | the page's old 4096 bytes ) | CRC32C of everything before it (4)
 * </pre>
 * All integers big-endian ({@link DataOutputStream}).
 *
 * <p><b>Thread safety:</b> used by one backup, or one open, of the backup file, which holds its lock.
 */
public final class UndoJournal
{
    private static final long MAGIC = 0x524D4D554E444F31L;
    private static final String SUFFIX = ".undo";

    private UndoJournal()
    {
    }

    /**
     * {@return the journal of a backup file}
     *
     * @param backup the backup store file.
     */
    public static Path pathOf(final Path backup)
    {
        return backup.resolveSibling(backup.getFileName() + SUFFIX);
    }

    /**
     * Saves the pages of {@code file} at {@code offsets} and makes the journal durable (the file, then its
     * directory).
     *
     * @param journal  the journal to create; must not exist.
     * @param sequence the checkpoint the backup holds now.
     * @param file     the backup, mapped.
     * @param offsets  the file offsets of the pages about to be overwritten.
     * @param io       the seam the directory fsync goes through.
     * @throws IOException if it cannot be written or made durable; nothing of the backup was touched.
     */
    public static void write(final Path journal, final long sequence, final RawMmapFile file, final long[] offsets,
        final StoreIo io) throws IOException
    {
        final byte[] page = new byte[StoreLayout.PAGE_SIZE];
        try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE))
        {
            final CRC32C crc = new CRC32C();
            final OutputStream raw = Channels.newOutputStream(channel);
            final DataOutputStream out = new DataOutputStream(new CheckedOutputStream(
                new BufferedOutputStream(raw, 1 << 16), crc));
            out.writeLong(MAGIC);
            out.writeLong(sequence);
            out.writeLong(offsets.length);
            for (final long offset : offsets)
            {
                file.readAt(offset, page);
                out.writeLong(offset);
                out.write(page);
            }
            out.flush();
            final DataOutputStream trailer = new DataOutputStream(raw);
            trailer.writeInt((int)crc.getValue());
            trailer.flush();
            channel.force(true);
        }
        io.syncDirectory(journal.toAbsolutePath().getParent());
    }

    /**
     * Removes a journal once the checkpoint it guarded is durable, and makes the removal durable.
     *
     * @param journal the journal.
     * @param io      the seam the directory fsync goes through.
     * @throws IOException if it cannot be removed.
     */
    public static void discard(final Path journal, final StoreIo io) throws IOException
    {
        Files.deleteIfExists(journal);
        io.syncDirectory(journal.toAbsolutePath().getParent());
    }

    /**
     * Rolls a backup back to the checkpoint it held before an interrupted incremental backup, if its journal is
     * there: a complete journal's pages are written back and flushed, then the journal is removed; an incomplete one
     * is only removed. Called at open, with the file locked, before it is recovered.
     *
     * @param file the backup file, mapped and locked for writing.
     * @param io   the seam the writes, the flush and the directory fsync go through.
     * @return whether pages were written back.
     * @throws IncompatibleStoreException if the journal is complete but names an offset outside the file.
     * @throws IOException                if it cannot be read, or the rollback cannot be made durable.
     */
    public static boolean rollBack(final RawMmapFile file, final StoreIo io) throws IOException
    {
        final Path journal = pathOf(file.path());
        if (!Files.exists(journal))
        {
            return false;
        }
        final boolean complete = isComplete(journal, file);
        if (complete)
        {
            try (DataInputStream in = open(journal, null))
            {
                in.readLong();
                in.readLong();
                final long count = in.readLong();
                final byte[] page = new byte[StoreLayout.PAGE_SIZE];
                for (long i = 0; i < count; i++)
                {
                    final long offset = in.readLong();
                    in.readFully(page);
                    io.writeAt(file, offset, page);
                }
            }
            io.flushRange(file, 0, file.size());
        }
        discard(journal, io);
        return complete;
    }

    private static boolean isComplete(final Path journal, final RawMmapFile file) throws IOException
    {
        final long size = Files.size(journal);
        final CRC32C crc = new CRC32C();
        try (DataInputStream in = open(journal, crc))
        {
            if (size < 3 * Long.BYTES + Integer.BYTES || MAGIC != in.readLong())
            {
                return false;
            }
            in.readLong();
            final long count = in.readLong();
            final long entry = Long.BYTES + StoreLayout.PAGE_SIZE;
            if (count < 0 || count > (size - 3 * Long.BYTES - Integer.BYTES) / entry ||
                size != 3 * Long.BYTES + count * entry + Integer.BYTES)
            {
                return false;
            }
            final byte[] page = new byte[StoreLayout.PAGE_SIZE];
            for (long i = 0; i < count; i++)
            {
                final long offset = in.readLong();
                in.readFully(page);
                if (offset < 0 || 0 != offset % StoreLayout.PAGE_SIZE || offset > file.size() - page.length)
                {
                    throw new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                        journal + " (the undo journal of an interrupted incremental backup) names offset=" + offset +
                        ", outside " + file.path() + " of size=" + file.size());
                }
            }
            final int computed = (int)crc.getValue();
            return computed == in.readInt();
        }
        catch (final EOFException ex)
        {
            return false;
        }
    }

    private static DataInputStream open(final Path journal, final CRC32C crc) throws IOException
    {
        final InputStream raw = new BufferedInputStream(Files.newInputStream(journal), 1 << 16);
        return new DataInputStream(null == crc ? raw : new CheckedInputStream(raw, crc));
    }
}

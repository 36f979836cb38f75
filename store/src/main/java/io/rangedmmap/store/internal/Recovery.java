package io.rangedmmap.store.internal;

import io.rangedmmap.mmap.RawMmapFile;
import io.rangedmmap.store.IncompatibleStoreException;
import io.rangedmmap.store.SuperblockFallback;
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a store file at open, read-only, and rebuilds the in-memory state of its last durable checkpoint: picks
 * the newest valid superblock, checks the geometry against the file, checks every page of the current metadata copy
 * and loads it into a {@link PageTable}, and finds the table pages where the other copy differs (those the next
 * checkpoint must rewrite). It reads no user page: {@code verify} checks those.
 *
 * @param superblock      the superblock of the last durable checkpoint.
 * @param layout          the file's layout.
 * @param table           every page LIVE with its CRC, or FREE.
 * @param staleTablePages the table pages in which the other copy differs from the current one, ascending.
 * @param free            the free runs, ascending.
 * @param fallback        why the other superblock was rejected, or {@code null} if both were valid.
 */
public record Recovery(
    Superblock superblock, StoreLayout layout, PageTable table, long[] staleTablePages, Runs free,
    SuperblockFallback fallback)
{
    /**
     * Recovers the last durable checkpoint of a store file; writes nothing.
     *
     * @param file the mapped store file, locked.
     * @param path the store, for messages.
     * @return the recovered state.
     * @throws IncompatibleStoreException if the file is not a store, is of a newer format, has another page size,
     *                                    a size its superblock does not imply, or damaged metadata.
     */
    public static Recovery recover(final RawMmapFile file, final Path path)
    {
        final Superblock[] valid = new Superblock[StoreLayout.SUPERBLOCK_SLOTS];
        final String[] rejected = new String[StoreLayout.SUPERBLOCK_SLOTS];
        final long[] claimed = new long[StoreLayout.SUPERBLOCK_SLOTS];
        final int slot = newestSuperblock(file, path, valid, rejected, claimed);
        final Superblock superblock = valid[slot];
        final SuperblockFallback fallback = null == rejected[1 - slot] ? null :
            new SuperblockFallback(slot, superblock.sequence(), 1 - slot, claimed[1 - slot], rejected[1 - slot]);
        SuperblockDescriptor.checkGeometry(superblock, file.size(), path);
        final StoreLayout layout = new StoreLayout(superblock.pageCount());
        final byte[] current = new byte[StoreLayout.PAGE_SIZE];
        checkCurrentCopy(file, path, layout, superblock, current);
        final PageTable table = newTable(path, layout);
        final byte[] other = new byte[StoreLayout.PAGE_SIZE];
        final UnsafeBuffer currentBuffer = new UnsafeBuffer(current);
        final UnsafeBuffer otherBuffer = new UnsafeBuffer(other);
        final int copy = superblock.currentCopy();
        long[] stale = new long[16];
        int staleCount = 0;
        long live = 0;
        for (long tablePage = 0; tablePage < layout.metadataPages(); tablePage++)
        {
            file.readAt(layout.metadataOffset(copy, tablePage), current);
            MetadataPageDescriptor.checkPage(currentBuffer, tablePage, superblock.sequence(), path);
            live += load(currentBuffer, tablePage, table, path);
            file.readAt(layout.metadataOffset(1 - copy, tablePage), other);
            if (null != MetadataPageDescriptor.check(otherBuffer, tablePage, superblock.sequence()) ||
                !Arrays.equals(current, MetadataPageDescriptor.HEADER_LENGTH, StoreLayout.PAGE_SIZE,
                other, MetadataPageDescriptor.HEADER_LENGTH, StoreLayout.PAGE_SIZE))
            {
                if (staleCount == stale.length)
                {
                    stale = Arrays.copyOf(stale, staleCount * 2);
                }
                stale[staleCount++] = tablePage;
            }
        }
        if (live != superblock.livePages())
        {
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                path + ": the metadata table has " + live + " live pages but the superblock says livePages=" +
                superblock.livePages());
        }
        final Runs free = new Runs();
        for (int page = 0; page < table.size(); page++)
        {
            if (PageTable.FREE == table.statePlain(page))
            {
                free.add(page, page + 1);
            }
        }
        return new Recovery(superblock, layout, table, Arrays.copyOf(stale, staleCount), free, fallback);
    }

    /**
     * Checks every page of the current metadata copy (CRC32C, index, sequence) before the page table is sized from
     * the superblock: a superblock with a valid CRC32C but a crafted page count, on a file made that large and
     * sparse, is refused here instead of allocating gigabytes first. It reads the pages the load reads next; the
     * CRC32C of a metadata page costs far less than reading it.
     */
    private static void checkCurrentCopy(final RawMmapFile file, final Path path, final StoreLayout layout,
        final Superblock superblock, final byte[] page)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(page);
        for (long tablePage = 0; tablePage < layout.metadataPages(); tablePage++)
        {
            file.readAt(layout.metadataOffset(superblock.currentCopy(), tablePage), page);
            MetadataPageDescriptor.checkPage(buffer, tablePage, superblock.sequence(), path);
        }
    }

    /**
     * Allocates the page table (8 bytes a page, on the heap); a heap too small for it is an {@link OutOfMemoryError}
     * that says how much the store needs.
     */
    private static PageTable newTable(final Path path, final StoreLayout layout)
    {
        try
        {
            return new PageTable((int)layout.pageCount());
        }
        catch (final OutOfMemoryError ex)
        {
            final long mib = 1 << 20;
            final OutOfMemoryError described = new OutOfMemoryError("opening " + path + " (pageCount=" +
                layout.pageCount() + ") needs " + (layout.pageCount() * 2 * Integer.BYTES + mib - 1) / mib +
                " MiB of heap for its page table, more than this JVM can allocate (max heap " +
                Runtime.getRuntime().maxMemory() / mib + " MiB); run it with a larger -Xmx");
            described.initCause(ex);
            throw described;
        }
    }

    private static long load(final UnsafeBuffer page, final long tablePage, final PageTable table, final Path path)
    {
        long live = 0;
        final long first = tablePage * MetadataPageDescriptor.ENTRIES_PER_PAGE;
        for (long pageId = first; pageId < first + MetadataPageDescriptor.ENTRIES_PER_PAGE; pageId++)
        {
            final int flags = MetadataPageDescriptor.entryFlags(page, pageId);
            final int crc = MetadataPageDescriptor.entryCrc(page, pageId);
            if (MetadataPageDescriptor.FLAG_LIVE == flags && pageId < table.size())
            {
                table.setCrc((int)pageId, crc);
                table.setStateRelease((int)pageId, PageTable.LIVE);
                live++;
            }
            else if (0 != flags || 0 != crc)
            {
                throw new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                    path + ": metadata entry of page=" + pageId + " has flags=" + flags + ", crc32c=0x" +
                    Integer.toHexString(crc) + "; expected a live entry of a page below pageCount=" + table.size() +
                    " or a zero entry");
            }
        }
        return live;
    }

    /**
     * Reads both superblock slots and picks the valid one with the highest sequence.
     *
     * @return the slot picked; {@code valid[slot]} is its superblock, and {@code rejected[other]} says why the other
     *         was rejected, if it was, with the sequence its bytes claim in {@code claimed[other]}.
     */
    private static int newestSuperblock(final RawMmapFile file, final Path path, final Superblock[] valid,
        final String[] rejected, final long[] claimed)
    {
        final byte[] bytes = new byte[StoreLayout.PAGE_SIZE];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        int newest = -1;
        IncompatibleStoreException firstProblem = null;
        int unrecognised = 0;
        for (int slot = 0; slot < StoreLayout.SUPERBLOCK_SLOTS; slot++)
        {
            file.readAt(StoreLayout.superblockOffset(slot), bytes);
            claimed[slot] = buffer.getLong(SuperblockDescriptor.SEQUENCE_OFFSET, ByteOrder.LITTLE_ENDIAN);
            try
            {
                SuperblockDescriptor.checkIdentity(buffer, path);
            }
            catch (final IncompatibleStoreException ex)
            {
                if (IncompatibleStoreException.Problem.NEWER_FORMAT == ex.problem())
                {
                    throw ex;
                }
                firstProblem = null == firstProblem ? ex : firstProblem;
                unrecognised++;
                rejected[slot] = ex.getMessage();
                continue;
            }
            if (!SuperblockDescriptor.isCrcValid(buffer))
            {
                rejected[slot] = "it fails its CRC32C check (torn by a crash while it was written, or damaged)";
                continue;
            }
            valid[slot] = SuperblockDescriptor.decode(buffer);
            if (newest < 0 || valid[slot].sequence() > valid[newest].sequence())
            {
                newest = slot;
            }
        }
        if (newest < 0)
        {
            if (StoreLayout.SUPERBLOCK_SLOTS == unrecognised)
            {
                throw firstProblem;
            }
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                path + ": neither superblock is valid (both fail their CRC32C check)");
        }
        return newest;
    }
}

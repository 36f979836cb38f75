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
import io.rangedmmap.store.internal.format.MetadataPageDescriptor;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.Superblock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loads the metadata groups a lazy open left unloaded ({@link Recovery#lazy()}: after a clean close, or after a crash
 * once the newest checkpoint was verified), each at its first touch: one
 * {@code pread} of the group's page in the copy the open's superblock names, checked exactly as the full open checks
 * it (CRC32C, table index, a sequence no newer than the checkpoint's, every entry live or zero), its live entries and
 * sequence put in the table, and its free pages handed to the pool, where writers find them (the pool's
 * {@link ExtentAllocator} loads the groups below the high-water mark in ascending order when it needs them, so reuse
 * still takes the lowest free pages first).
 *
 * <p>A group that fails its check fails the store (fail-stop, through its {@link Lifecycle}): the call that touched it
 * throws {@link io.rangedmmap.store.StoreFailedException} whose cause is an {@link IncompatibleStoreException}
 * ({@code CORRUPT_METADATA}) naming the group, its pages and what was expected; every later call sees the failed
 * store, and the group is never read as free or live. The copies the open did not compare are not rewritten: the
 * next open, which after the failure compares both copies, refuses the damage as ever.
 *
 * <p><b>Thread safety:</b> {@link PageTable} calls {@link #load} for a group from one thread at a time; different
 * groups load concurrently, each with its own buffers (a load is rare: once a group per open).
 */
public final class LazyGroups implements GroupLoader
{
    private final RawMmapFile file;
    private final Path path;
    private final StoreLayout layout;
    private final Superblock superblock;
    private final ExtentAllocator pool;
    private final Lifecycle lifecycle;
    private final AtomicLong loads = new AtomicLong();

    /**
     * Creates the loader of a store opened lazily.
     *
     * @param file       the store file.
     * @param path       the store, for messages.
     * @param layout     the layout the store opened with (its page count bounds the entries a group may hold).
     * @param superblock the superblock it opened at: the copy to read and the newest sequence a page may carry.
     * @param pool       where the free pages of a loaded group go.
     * @param lifecycle  the store's, failed by a group that fails its check.
     */
    public LazyGroups(final RawMmapFile file, final Path path, final StoreLayout layout, final Superblock superblock,
        final ExtentAllocator pool, final Lifecycle lifecycle)
    {
        this.file = file;
        this.path = path;
        this.layout = layout;
        this.superblock = superblock;
        this.pool = pool;
        this.lifecycle = lifecycle;
    }

    @Override
    public void load(final PageTable table, final long group)
    {
        final byte[] bytes = new byte[StoreLayout.PAGE_SIZE];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final long first = group * StoreLayout.GROUP_USER_PAGES;
        final long end = Math.min(layout.pageCount(), first + StoreLayout.GROUP_USER_PAGES);
        try
        {
            loads.incrementAndGet();
            Recovery.read(file, layout.metadataOffset(superblock.currentCopy(), group), bytes);
            MetadataPageDescriptor.checkPage(buffer, group, superblock.sequence(), path);
            Recovery.load(buffer, group, table, layout.pageCount(), path);
        }
        catch (final IncompatibleStoreException ex)
        {
            throw lifecycle.fail(new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                "metadata group=" + group + " (user pages [" + first + ", " + end + "), metadata copy " +
                superblock.currentCopy() + ", loaded at its first touch after a lazy open at checkpoint " +
                superblock.sequence() + "): " + ex.getMessage()));
        }
        catch (final RuntimeException ex)
        {
            throw lifecycle.fail(ex);
        }
        table.setGroupSequence(group, MetadataPageDescriptor.pageSequence(buffer));
        // The group's free pages: free since the checkpoint the store opened at, held by no one (only the pool hands
        // pages out, and it never held these); pages past the open's page count came with a growth, which gave them
        // to the pool itself.
        final Runs free = new Runs();
        Recovery.addFreeRuns(table, first, end, free);
        pool.append(free);
    }

    /**
     * {@return the groups loaded (or tried) so far: each is one {@code pread} of a metadata page; for tests}
     */
    public long loads()
    {
        return loads.get();
    }

    @Override
    public RuntimeException failed(final long group)
    {
        return lifecycle.fail(new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
            "metadata group=" + group + " failed its check when it was loaded"));
    }
}

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
package io.rangedmmap.cli;

import io.rangedmmap.mmap.FileLockedException;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.SuperblockFallback;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * How the inspecting commands ({@code info}, {@code verify}, {@code dump}) open a store: read-only, under a shared
 * lock, so that they work on read-only media and backups, write nothing, and say plainly when a writer holds the
 * store.
 */
final class StoreAccess
{
    /**
     * What the tool says when a writer holds the store.
     */
    static final String IN_USE = "in use by another process; stop it, or back it up from inside that process";

    private StoreAccess()
    {
    }

    /**
     * Opens a store read-only.
     *
     * @param store the store file.
     * @return the store, open read-only.
     * @throws StoreInUseException if a writer holds it.
     * @throws IOException         on any other I/O error.
     */
    static PageStore open(final Path store) throws IOException
    {
        try
        {
            return PageStore.openReadOnly(store);
        }
        catch (final FileLockedException ex)
        {
            throw new StoreInUseException(store.toAbsolutePath() + " is " + IN_USE, ex);
        }
    }

    /**
     * Prints which superblock the store was opened from, and a warning if the other one was rejected.
     *
     * @param out   where to print.
     * @param pages the open store.
     */
    static void printSuperblock(final PrintWriter out, final PageStore pages)
    {
        final SuperblockFallback fallback = pages.superblockFallback().orElse(null);
        if (null == fallback)
        {
            out.printf("superblock:      slot %d, checkpoint %d (both superblocks valid)%n",
                pages.lastCheckpoint() & 1, pages.lastCheckpoint());
            return;
        }
        out.printf("superblock:      slot %d, checkpoint %d; slot %d REJECTED (claims checkpoint %d): %s%n",
            fallback.usedSlot(), fallback.usedSequence(), fallback.rejectedSlot(), fallback.rejectedSequence(),
            fallback.reason());
        out.printf("WARNING:         the store fell back to one superblock; if checkpoint %d was acknowledged it " +
            "is lost (a crash while a superblock was written looks the same); run verify%n",
            Math.max(fallback.usedSequence(), fallback.rejectedSequence()));
    }

    /**
     * Thrown when a writer holds the store; the tool prints its message alone and exits with
     * {@link RangedMmapCli#CANNOT_OPEN}.
     */
    static final class StoreInUseException extends IOException
    {
        private static final long serialVersionUID = 1L;

        StoreInUseException(final String message, final Throwable cause)
        {
            super(message, cause);
        }
    }
}

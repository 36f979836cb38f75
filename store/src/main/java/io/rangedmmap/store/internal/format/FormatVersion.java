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
package io.rangedmmap.store.internal.format;

import io.rangedmmap.store.IncompatibleStoreException;

import java.nio.file.Path;

/**
 * The on-disk format's identity: the magic number at the start of both superblocks and the format version after
 * it. These two fields keep their offsets in every future format, so any version can recognise a store and refuse
 * one it does not understand before reading anything else.
 */
public final class FormatVersion
{
    /**
     * The magic number, the ASCII bytes {@code "RMMSTORE"} read as a little-endian long.
     */
    public static final long MAGIC = 0x45524F54534D4D52L;

    /**
     * The format version this code writes and the only one it reads. Version 2 (issue 14) names in each superblock
     * the metadata pages and user pages its checkpoint wrote, so that a checkpoint can be made durable with one flush
     * and verified at open; version 1 files cannot be opened (their superblocks do not say what to verify). Version 3
     * (issue 10) interleaves the metadata with the user pages in groups (see {@link StoreLayout}), so that a store
     * grows without moving anything, and records the largest page count the store may grow to; a version 2 file
     * cannot be opened (its user pages sit where version 3 keeps metadata). Version 4 (issue 10) adds the flag
     * {@link SuperblockDescriptor#FLAG_CLEAN}, set by a clean close, and a second superblock of the same checkpoint
     * in the spare slot that carries it; a version 3 library would refuse the flag as damage, so the version says it.
     * A version 3 file is refused (open it with the library that wrote it and copy its pages into a new store).
     */
    public static final int CURRENT = 4;

    private FormatVersion()
    {
    }

    /**
     * Checks the magic number of a superblock.
     *
     * @param magic the value read.
     * @param file  the store, for the message.
     * @throws IncompatibleStoreException if {@code magic != MAGIC}: the file is not a page store.
     */
    public static void checkMagic(final long magic, final Path file)
    {
        if (MAGIC != magic)
        {
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.NOT_A_STORE,
                file + " is not a page store: magic=0x" + Long.toHexString(magic) + ", expected 0x" +
                Long.toHexString(MAGIC));
        }
    }

    /**
     * Checks a superblock's format version.
     *
     * @param version the value read.
     * @param file    the store, for the message.
     * @throws IncompatibleStoreException if {@code version > CURRENT}: written by a newer version of this library.
     * @throws IncompatibleStoreException if {@code version} is 1 to {@code CURRENT - 1}: an older format.
     * @throws IncompatibleStoreException if {@code version < 1}: not a valid version.
     */
    public static void checkVersion(final int version, final Path file)
    {
        if (version > CURRENT)
        {
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.NEWER_FORMAT,
                file + " has format version=" + version + ", newer than the newest supported version=" + CURRENT);
        }
        if (version >= 1 && version < CURRENT)
        {
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.OLDER_FORMAT,
                file + " has format version=" + version + ", older than the version=" + CURRENT + " this library " +
                "reads and writes; open it with the version of the library that wrote it and copy its pages into a " +
                "new store");
        }
        if (version < 1)
        {
            throw new IncompatibleStoreException(IncompatibleStoreException.Problem.CORRUPT_METADATA,
                file + " has format version=" + version + ", expected version=" + CURRENT);
        }
    }
}

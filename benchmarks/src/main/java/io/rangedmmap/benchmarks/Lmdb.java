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
package io.rangedmmap.benchmarks;

import io.rangedmmap.store.PageStore;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * How the peer benchmarks open LMDB: one named database in a directory, a map size far above what they store.
 *
 * <p>lmdbjava 0.9.1 on Java 25 needs {@code --add-opens java.base/java.nio=ALL-UNNAMED} and
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}: its {@code ByteBufferProxy} makes {@code Buffer.address}
 * accessible by reflection and reads {@code sun.nio.ch.DirectBuffer.address()}. Without the first, its static
 * initialiser throws {@code InaccessibleObjectException}; without the second, the first {@code put} throws
 * {@code IllegalAccessError}. The peer benchmarks' forks add both.
 */
final class Lmdb
{
    /**
     * The name of the database the benchmarks use.
     */
    static final String DB_NAME = "pages";

    /**
     * The map size: 16 GiB of address space; the file grows only as pages are used.
     */
    static final long MAP_SIZE = 16L << 30;

    private Lmdb()
    {
    }

    /**
     * Opens (creating if needed) the environment in {@code dir}.
     *
     * @param dir   the directory.
     * @param flags the environment flags; none gives LMDB's default durable commits.
     * @return the environment.
     */
    static Env<ByteBuffer> env(final Path dir, final EnvFlags... flags)
    {
        return Env.create().setMapSize(MAP_SIZE).setMaxDbs(1).setMaxReaders(64).open(dir.toFile(), flags);
    }

    /**
     * Opens (creating) the benchmarks' database and puts keys {@code [0, keys)} (8-byte big-endian longs) with a zero
     * 4 KiB value each, in one transaction, so that every later put replaces a value.
     *
     * @param env  the environment.
     * @param keys how many keys.
     * @return the database.
     */
    static Dbi<ByteBuffer> openFilled(final Env<ByteBuffer> env, final long keys)
    {
        final Dbi<ByteBuffer> db = env.openDbi(DB_NAME, DbiFlags.MDB_CREATE);
        final ByteBuffer key = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.BIG_ENDIAN);
        final ByteBuffer value = ByteBuffer.allocateDirect(PageStore.PAGE_SIZE);
        try (Txn<ByteBuffer> txn = env.txnWrite())
        {
            for (long k = 0; k < keys; k++)
            {
                key.clear();
                key.putLong(0, k);
                value.clear();
                db.put(txn, key, value);
            }
            txn.commit();
        }
        return db;
    }
}

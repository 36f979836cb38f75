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
package io.rangedmmap.examples.btree;

import io.rangedmmap.store.PageStore;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A copy-on-write B+tree on a {@link PageStore}: inserts keys in batches, commits each batch atomically, then
 * reopens the store and finds every key.
 *
 * <p>{@code --until-killed STORE LOG} inserts batches forever and appends each committed batch's number to
 * {@code LOG} (forced) after its commit returned: the crash test kills it with {@code kill -9} and checks that
 * every logged batch survived, whole.
 */
public final class BTreeExample
{
    /**
     * Keys per batch.
     */
    public static final int BATCH = 500;

    private BTreeExample()
    {
    }

    /**
     * Entry point.
     *
     * @param args {@code [store]} or {@code --until-killed STORE LOG}.
     * @throws Exception if anything fails.
     */
    public static void main(final String[] args) throws Exception
    {
        if (args.length == 3 && "--until-killed".equals(args[0]))
        {
            insertUntilKilled(Path.of(args[1]), Path.of(args[2]));
            return;
        }
        run(Path.of(args.length > 0 ? args[0] : "btree.store"), 40, System.out);
    }

    /**
     * {@return the value stored under {@code key} by the batches}
     *
     * @param key the key.
     */
    public static long valueOf(final long key)
    {
        return key * 31 + 7;
    }

    /**
     * {@return the key number {@code i} of batch {@code batch}: spread so that inserts land all over the tree}
     *
     * @param batch the batch.
     * @param i     the index in the batch.
     */
    public static long keyOf(final long batch, final int i)
    {
        return Long.rotateLeft((batch * BATCH + i) * 0x9E3779B97F4A7C15L, 17) & Long.MAX_VALUE;
    }

    /**
     * Runs the example.
     *
     * @param file    the store file to create.
     * @param batches how many batches to insert.
     * @param out     where to print.
     * @return the number of keys found after the reopen.
     * @throws Exception if anything fails or a key is missing.
     */
    public static long run(final Path file, final int batches, final PrintStream out) throws Exception
    {
        try (PageStore store = PageStore.create(file, 4096); CowBTree tree = new CowBTree(store))
        {
            for (int batch = 0; batch < batches; batch++)
            {
                for (int i = 0; i < BATCH; i++)
                {
                    tree.put(keyOf(batch, i), valueOf(keyOf(batch, i)));
                }
                tree.commit();
            }
            out.println("inserted " + tree.size() + " keys in " + batches + " atomic commits; live pages " +
                store.stats().livePages());
        }
        try (PageStore store = PageStore.open(file); CowBTree tree = new CowBTree(store))
        {
            final long found = tree.check();
            for (int batch = 0; batch < batches; batch++)
            {
                for (int i = 0; i < BATCH; i++)
                {
                    final Long value = tree.get(keyOf(batch, i));
                    if (null == value || value != valueOf(keyOf(batch, i)))
                    {
                        throw new IllegalStateException("key " + keyOf(batch, i) + " lost or wrong: " + value);
                    }
                }
            }
            out.println("reopened: " + found + " keys in order, every value as written; verify: " +
                (store.verify().isClean() ? "clean" : "CORRUPT"));
            return found;
        }
    }

    private static void insertUntilKilled(final Path file, final Path log) throws Exception
    {
        try (PageStore store = Files.exists(file) ? PageStore.open(file) : PageStore.create(file, 1 << 16);
            CowBTree tree = new CowBTree(store);
            FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND))
        {
            final ByteBuffer record = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            for (long batch = tree.size() / BATCH; ; batch++)
            {
                for (int i = 0; i < BATCH; i++)
                {
                    tree.put(keyOf(batch, i), valueOf(keyOf(batch, i)));
                }
                tree.commit();
                channel.write(record.clear().putLong(0, batch));
                channel.force(false);
            }
        }
    }
}

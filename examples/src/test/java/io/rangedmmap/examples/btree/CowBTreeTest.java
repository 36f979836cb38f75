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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CowBTreeTest
{
    @TempDir
    Path dir;

    @Test
    void shouldMatchATreeMapThroughCommitsAndReopens() throws Exception
    {
        final Path file = dir.resolve("t.store");
        final TreeMap<Long, Long> model = new TreeMap<>();
        final SplittableRandom random = new SplittableRandom(5);
        PageStore.create(file, 2048).close();
        for (int round = 0; round < 6; round++)
        {
            try (PageStore store = PageStore.open(file); CowBTree tree = new CowBTree(store))
            {
                assertEquals(model.size(), tree.check());
                for (int batch = 0; batch < 5; batch++)
                {
                    for (int i = 0; i < 700; i++)
                    {
                        final long key = random.nextLong(5_000);
                        final long value = random.nextLong();
                        tree.put(key, value);
                        model.put(key, value);
                    }
                    // Uncommitted changes of the last batch of a round are lost on close, as they should be.
                    if (batch < 4)
                    {
                        tree.commit();
                    }
                    else
                    {
                        for (int i = 0; i < 100; i++)
                        {
                            final long key = 10_000 + i;
                            tree.put(key, i);
                        }
                        assertEquals(99L, tree.get(10_099L));
                    }
                }
                tree.commit();
                for (final var entry : model.entrySet())
                {
                    assertEquals(entry.getValue(), tree.get(entry.getKey()));
                }
            }
            try (PageStore store = PageStore.open(file); CowBTree tree = new CowBTree(store))
            {
                for (int i = 0; i < 100; i++)
                {
                    model.put(10_000L + i, (long)i);
                }
                assertEquals(model.size(), tree.check());
                assertNull(tree.get(-1));
                assertTrue(store.verify().isClean());
            }
        }
    }

    @Test
    void shouldRunTheExample() throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(20L * BTreeExample.BATCH,
            BTreeExample.run(dir.resolve("e.store"), 20, new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("verify: clean"));
    }

    @Test
    void shouldKeepEveryCommittedBatchAcrossKill9() throws Exception
    {
        final Path file = dir.resolve("k.store");
        final Path log = dir.resolve("k.log");
        for (int kill = 0; kill < 5; kill++)
        {
            final Process child = new ProcessBuilder(List.of(
                ProcessHandle.current().info().command().orElseThrow(), "-XX:TieredStopAtLevel=1",
                "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), BTreeExample.class.getName(),
                "--until-killed", file.toString(), log.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.out").toFile()).start();
            final long before = Files.exists(log) ? Files.size(log) : 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            final long wanted = before + 8L * (3 + kill);
            while (!Files.exists(log) || Files.size(log) < wanted)
            {
                assertTrue(child.isAlive() && System.nanoTime() < deadline,
                    "child stopped: " + Files.readString(dir.resolve("child.out")));
                Thread.sleep(2);
            }
            child.destroyForcibly().waitFor();

            final ByteBuffer logged = ByteBuffer.wrap(Files.readAllBytes(log)).order(ByteOrder.LITTLE_ENDIAN);
            long lastAcknowledged = -1;
            while (logged.remaining() >= 8)
            {
                lastAcknowledged = logged.getLong();
            }
            try (PageStore store = PageStore.open(file); CowBTree tree = new CowBTree(store))
            {
                final long keys = tree.check();
                // Every acknowledged batch is whole; the one in flight is whole or absent.
                assertTrue(keys == (lastAcknowledged + 1) * BTreeExample.BATCH ||
                    keys == (lastAcknowledged + 2) * BTreeExample.BATCH, "keys=" + keys + " acknowledged=" +
                    lastAcknowledged);
                for (long batch = 0; batch <= lastAcknowledged; batch++)
                {
                    for (int i = 0; i < BTreeExample.BATCH; i += 7)
                    {
                        final long key = BTreeExample.keyOf(batch, i);
                        assertEquals(BTreeExample.valueOf(key), tree.get(key), "batch " + batch + " key " + key);
                    }
                }
                assertTrue(store.verify().isClean());
            }
            // The next child continues from the tree on disk; batches it redoes are logged again, in order.
            Files.write(log, java.util.Arrays.copyOf(Files.readAllBytes(log), (int)((lastAcknowledged + 1) * 8)));
        }
    }
}

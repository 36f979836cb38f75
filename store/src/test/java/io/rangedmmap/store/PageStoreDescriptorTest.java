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
package io.rangedmmap.store;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store file is opened once: an open store holds exactly one descriptor of its file in this process, through
 * open, checkpoints (whose metadata and superblock pages are written with {@code pwrite} through that descriptor)
 * and growth, and keeps its lock all along. A second descriptor would be one more way to drop the lock: closing any
 * descriptor of a file drops the process's POSIX locks on it.
 */
@Tag("crash")
class PageStoreDescriptorTest
{
    private static final int CHECKPOINTS = 20;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldHoldOneDescriptorAndTheLockThroughOpenCheckpointsAndGrowth(final boolean growable) throws Exception
    {
        final Path file = dir.resolve("s.store").toAbsolutePath();
        final StoreOptions options = growable ? StoreOptions.defaults().withMaxPages(4096) : StoreOptions.defaults();
        try (PageStore created = PageStore.create(file, 64, options))
        {
            assertEquals(1, descriptorsOf(created.path()).size(), "after create: " + descriptorsOf(file));
        }
        assertEquals(List.of(), descriptorsOf(file), "after close");
        try (PageStore store = PageStore.open(file, options); PageWriter writer = store.newWriter())
        {
            final List<Integer> opened = descriptorsOf(file);
            assertEquals(1, opened.size(), "after open: " + opened);
            assertTrue(isLockedByThisProcess(file), "locked after open");
            final List<PageReceipt> receipts = new ArrayList<>();
            for (int i = 0; i < CHECKPOINTS; i++)
            {
                receipts.clear();
                receipts.add(writer.write(writer.allocate(), page(i)));
                store.setRoot(0, i);
                store.checkpoint(receipts);
                assertEquals(opened, descriptorsOf(file), "after checkpoint " + (i + 1));
            }
            if (growable)
            {
                store.grow(1024);
                store.checkpoint(List.of(writer.write(writer.allocate(), page(99))));
                assertEquals(opened, descriptorsOf(file), "after growth and a checkpoint");
            }
            assertTrue(isLockedByThisProcess(file), "locked after the checkpoints");
            final ChildJvm child = ChildJvm.start(LockChild.class, "probe", file.toString());
            final String line = child.awaitLine("OPENED", "LOCKED");
            child.finish(30);
            assertTrue(line.startsWith("LOCKED "), "another process is refused: " + line);
            assertEquals(CHECKPOINTS + (growable ? 1 : 0), store.lastCheckpoint());
        }
        assertEquals(List.of(), descriptorsOf(file), "after close");
        try (PageStore reopened = PageStore.openReadOnly(file))
        {
            assertEquals(1, descriptorsOf(file).size(), "read-only: " + descriptorsOf(file));
            assertEquals(CHECKPOINTS - 1, reopened.root(0));
        }
    }

    /**
     * {@return the descriptors of this process open on {@code file}: the links of {@code /proc/self/fd} to its inode,
     * whatever name they were opened by (a create opens a temporary name, then links it)}
     */
    private static List<Integer> descriptorsOf(final Path file) throws IOException
    {
        final String key = Files.getAttribute(file, "unix:ino") + "@" + Files.getAttribute(file, "unix:dev");
        final List<Integer> found = new ArrayList<>();
        try (var links = Files.newDirectoryStream(Path.of("/proc/self/fd")))
        {
            for (final Path link : links)
            {
                try
                {
                    // Follows the link: /proc resolves it to the open file itself, even once its name is gone.
                    if (key.equals(Files.getAttribute(link, "unix:ino") + "@" + Files.getAttribute(link, "unix:dev")))
                    {
                        found.add(Integer.parseInt(link.getFileName().toString()));
                    }
                }
                catch (final IOException ex)
                {
                    // Closed meanwhile (the directory stream's own descriptor, say): not the store's.
                }
            }
        }
        return found;
    }

    /**
     * {@return whether {@code /proc/locks} lists a POSIX write lock of this process on {@code file}'s inode}
     */
    private static boolean isLockedByThisProcess(final Path file) throws IOException
    {
        final String inode = ":" + Files.getAttribute(file, "unix:ino");
        final String pid = Long.toString(ProcessHandle.current().pid());
        return Files.readAllLines(Path.of("/proc/locks")).stream()
            .map(line -> line.trim().split("\\s+"))
            .anyMatch(f -> f.length > 5 && "POSIX".equals(f[1]) && "WRITE".equals(f[3]) && pid.equals(f[4]) &&
                f[5].endsWith(inode));
    }
}

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

import io.rangedmmap.mmap.FileLockedException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.rangedmmap.store.PageStoreTest.page;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PageStore#openReadOnly(Path)} (issue 9, item 9): a shared lock, nothing written, every mutating call refused
 * with {@link IllegalStateException}; it works on a {@code chmod 444} file and on a read-only mount, beside other
 * read-only opens in other processes, and is refused while a writer holds the store.
 */
class PageStoreReadOnlyTest
{
    private static final FileTime OLD = FileTime.from(1_000_000, TimeUnit.SECONDS);

    @TempDir
    Path dir;

    private long firstPage;

    private Path newStore(final Path in) throws IOException
    {
        final Path file = in.resolve("s.store").toAbsolutePath();
        try (PageStore store = PageStore.create(file, 16); PageWriter writer = store.newWriter())
        {
            firstPage = writer.allocate();
            store.setRoot(2, 7);
            store.checkpoint(List.of(writer.write(firstPage, page(1)), writer.write(writer.allocate(), page(2))));
        }
        Files.setLastModifiedTime(file, OLD);
        return file;
    }

    @Test
    void shouldReadAndVerifyAChmod444FileAndWriteNothing() throws Exception
    {
        final Path file = newStore(dir);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        final byte[] before = Files.readAllBytes(file);
        try (PageStore store = PageStore.openReadOnly(file))
        {
            assertTrue(store.isReadOnly());
            assertArrayEquals(page(1), PageStoreTest.read(store, firstPage));
            assertEquals(7, store.root(2));
            assertEquals(1, store.lastCheckpoint());
            assertEquals(new StoreStats(16, 2, 14, 0, 1, 0), store.stats());
            assertTrue(store.verify().isClean());
            final String refused = "page store " + store.path() + " is open read-only and refuses every change; " +
                "open it with PageStore.open to change it";
            assertEquals(refused, assertThrowsExactly(IllegalStateException.class, store::newWriter).getMessage());
            assertEquals(refused, assertThrowsExactly(IllegalStateException.class, () -> store.free(firstPage))
                .getMessage());
            assertEquals(refused, assertThrowsExactly(IllegalStateException.class, () -> store.setRoot(0, 1))
                .getMessage());
            assertEquals(refused, assertThrowsExactly(IllegalStateException.class,
                () -> store.checkpoint(List.of())).getMessage());
            assertEquals(7, store.root(2));
            assertEquals(new StoreStats(16, 2, 14, 0, 1, 0), store.stats());
        }
        assertArrayEquals(before, Files.readAllBytes(file), "a read-only open writes nothing");
        assertEquals(OLD, Files.getLastModifiedTime(file), "a read-only open leaves the modification time alone");
        assertEquals(PosixFilePermissions.fromString("r--r--r--"), Files.getPosixFilePermissions(file));
    }

    @Test
    void shouldShareTheLockWithReadersAndRefuseWhileAWriterHoldsIt() throws Exception
    {
        final Path file = newStore(dir);
        try (PageStore writer = PageStore.open(file))
        {
            assertThrowsExactly(FileLockedException.class, () -> PageStore.openReadOnly(file));
            assertTrue(probe(file, "probe-ro").startsWith("LOCKED "), "a writer elsewhere refuses a reader");
            assertEquals(1, writer.lastCheckpoint());
        }
        final ChildJvm reader = ChildJvm.start(LockChild.class, "hold-ro", file.toString());
        try
        {
            assertEquals("HELD checkpoint=1", reader.awaitLine("HELD"));
            try (PageStore here = PageStore.openReadOnly(file))
            {
                assertEquals(1, here.lastCheckpoint(), "readers in two processes share the lock");
            }
            assertThrowsExactly(FileLockedException.class, () -> PageStore.open(file));
        }
        finally
        {
            reader.kill9();
        }
        try (PageStore store = PageStore.open(file))
        {
            assertEquals(1, store.lastCheckpoint());
        }
    }

    private static String probe(final Path file, final String mode) throws Exception
    {
        final ChildJvm child = ChildJvm.start(LockChild.class, mode, file.toString());
        final String line = child.awaitLine("OPENED", "LOCKED");
        child.finish(30);
        return line;
    }

    /**
     * A read-only bind mount: root in CI can make one; elsewhere the test is skipped with the reason.
     */
    @Test
    void shouldOpenAStoreOnAReadOnlyMount() throws Exception
    {
        final Path source = Files.createDirectories(dir.resolve("source"));
        final Path mount = Files.createDirectories(dir.resolve("ro"));
        final Path file = newStore(source);
        final byte[] before = Files.readAllBytes(file);
        final String bind = run("mount", "--bind", source.toString(), mount.toString());
        Assumptions.assumeTrue(null == bind, "cannot bind-mount here (needs root and CAP_SYS_ADMIN): " + bind);
        try
        {
            final String remount = run("mount", "-o", "remount,ro,bind", mount.toString());
            Assumptions.assumeTrue(null == remount, "cannot remount read-only here: " + remount);
            final Path readOnly = mount.resolve("s.store");
            assertThrowsExactly(java.nio.file.FileSystemException.class, () -> PageStore.open(readOnly),
                "a read-write open fails on a read-only mount");
            try (PageStore store = PageStore.openReadOnly(readOnly))
            {
                assertArrayEquals(page(1), PageStoreTest.read(store, firstPage));
                assertTrue(store.verify().isClean());
                assertThrowsExactly(IllegalStateException.class, store::newWriter);
            }
        }
        finally
        {
            run("umount", mount.toString());
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(OLD, Files.getLastModifiedTime(file));
    }

    /**
     * {@return null if the command succeeded, else its output}
     */
    private static String run(final String... command) throws Exception
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output = new String(process.getInputStream().readAllBytes());
            return process.waitFor() == 0 ? null : "exit " + process.exitValue() + ": " + output.strip();
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }
}

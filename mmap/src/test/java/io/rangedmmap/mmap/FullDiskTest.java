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
package io.rangedmmap.mmap;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk fails {@code create} with ENOSPC and leaves no file behind, on a real 8 MiB tmpfs (needs root to
 * mount; CI runs as root).
 */
class FullDiskTest
{
    @TempDir
    Path dir;

    private static int run(final String... command) throws IOException, InterruptedException
    {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    @Test
    void shouldFailCreateWithEnospcAndLeaveNoFile() throws Exception
    {
        final Path mount = Files.createDirectory(dir.resolve("tmpfs"));
        final boolean mounted = 0 == run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString());
        if (!mounted)
        {
            Assumptions.assumeFalse(null == System.getenv("CI"), "cannot mount a tmpfs here (not root?)");
            throw new AssertionError("CI runs as root and must be able to mount a tmpfs");
        }
        try
        {
            final NativeCallException ex = assertThrowsExactly(NativeCallException.class,
                () -> MmapFile.createDefault(mount.resolve("big.bin"), 16L << 20));
            assertEquals(NativeCallException.ENOSPC, ex.errno());
            assertEquals("posix_fallocate", ex.call());
            assertTrue(ex.getMessage().contains("ENOSPC"), ex.getMessage());
            assertThrowsExactly(NativeCallException.class,
                () -> RawMmapFile.create(mount.resolve("raw.bin"), 16L << 20));
            try (Stream<Path> left = Files.list(mount))
            {
                assertEquals(0, left.count(), "a refused create must leave no file");
            }
            // What fits still works on the same file system.
            try (Mapping<SequentialAllocator> m = MmapFile.createDefault(mount.resolve("small.bin"), 4L << 20))
            {
                m.file().flushRange(m.file().writeRange(m.allocator().allocate(4096).orElseThrow(), new byte[4096]));
            }
        }
        finally
        {
            run("umount", mount.toString());
        }
    }
}

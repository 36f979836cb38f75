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

import io.rangedmmap.store.internal.Formatter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * I/O errors (matrix row 7). Under {@code fiu-run}, {@code msync}, {@code fsync} and {@code fdatasync} fail at
 * random with probabilities from 0.01 to 1, over 1,000 runs in CI in a few child JVMs ({@link FiuChild}): the first
 * error fails the store, every later call throws {@link StoreFailedException} with it as the cause, nothing is
 * acknowledged after it, a failed create leaves no file, and a reopen with the failure point off yields the last
 * acknowledged checkpoint (or the failed one, whole, when only its superblock flush failed and the page cache kept
 * it). Without {@code fiu-run} the test is skipped, except in CI ({@code CI} set), where it fails. As root, a store
 * created on a full {@code tmpfs} fails at create and leaves neither its file nor its temporary file.
 *
 * <p>Soak: {@code mvn -B -o -pl store test -Dsurefire.excludedGroups=none -Dgroups=soak -Dtest=FiuCrashTest} runs
 * 10,000 runs.
 */
@Tag("crash")
class FiuCrashTest
{
    private static final Path FIU_RUN = Path.of("/usr/bin/fiu-run");
    private static final double[] PROBABILITIES = {0.01, 0.05, 0.1, 0.25, 0.5, 1.0};

    @TempDir
    Path dir;

    private static void requireFiu()
    {
        if (!Files.isExecutable(FIU_RUN))
        {
            if (null != System.getenv("CI"))
            {
                fail("fiu-run is missing at " + FIU_RUN + " in CI: .ci/run installs fiu-utils");
            }
            Assumptions.abort("fiu-run is not installed (apt-get install fiu-utils); skipping the fault injection");
        }
    }

    @Test
    void shouldFailStopOnInjectedFlushErrorsAndReopenAtTheLastGoodCheckpoint() throws Exception
    {
        requireFiu();
        injected(Map.of("posix/mm/msync", 125, "posix/io/sync/fsync", 42, "posix/io/sync/fdatasync", 42), 1);
    }

    @Test
    @Tag("soak")
    void shouldFailStopOnInjectedFlushErrorsAtSoakScale() throws Exception
    {
        requireFiu();
        injected(Map.of("posix/mm/msync", 1250, "posix/io/sync/fsync", 417, "posix/io/sync/fdatasync", 417), 2);
    }

    /**
     * Runs, for each failure point, that many runs per probability: msync at 6 probabilities, fsync and fdatasync at
     * 3 (the store calls fdatasync nowhere; that point checks it stays so harmless).
     */
    private void injected(final Map<String, Integer> runsPerProbability, final long seed) throws Exception
    {
        final Map<String, Integer> outcomes = new TreeMap<>();
        int total = 0;
        for (final Map.Entry<String, Integer> entry : new TreeMap<>(runsPerProbability).entrySet())
        {
            final String point = entry.getKey();
            for (final double probability : point.endsWith("msync") ? PROBABILITIES : new double[]{0.05, 0.5, 1.0})
            {
                final int runs = entry.getValue();
                final Path runDir = Files.createDirectories(dir.resolve(point.replace('/', '_') + "-" + probability));
                final ChildJvm child = ChildJvm.start(List.of(FIU_RUN.toString(), "-x", "-c",
                    "enable_random name=" + point + ",probability=" + probability), FiuChild.class,
                    runDir.toString(), point, Float.toString((float)probability), Integer.toString(runs),
                    Long.toString(seed));
                final String output = child.finish(300);
                final String context = point + " probability=" + probability + ":\n" + output;
                assertEquals(0, child.exitCode(), context);
                assertTrue(output.contains("DONE runs=" + runs), context);
                for (final String line : output.lines().filter(l -> l.startsWith("RUN ")).toList())
                {
                    final String outcome = line.replaceAll("^RUN \\d+ ", "").replaceAll("acked=\\d+ reopened=\\d+",
                        "");
                    outcomes.merge(point + " p=" + probability + ": " + outcome.trim(), 1, Integer::sum);
                }
                total += runs;
            }
        }
        System.out.println("fiu: runs=" + total);
        outcomes.forEach((k, v) -> System.out.println("  " + k + " x" + v));
    }

    @Test
    void shouldFailAtCreateOnAFullTmpfsLeavingNoFile() throws Exception
    {
        final Path mount = Files.createDirectory(dir.resolve("tmpfs"));
        final boolean root = "root".equals(System.getProperty("user.name"));
        Assumptions.assumeTrue(root, "mounting a tmpfs needs root");
        final Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString())
            .redirectErrorStream(true).start();
        Assumptions.assumeTrue(0 == mounting.waitFor(), () -> "mount failed: " + output(mounting));
        try
        {
            final Path big = mount.resolve("big.store");
            assertThrows(IOException.class, () -> PageStore.create(big, 4096));
            assertNoStoreFiles(big);

            final Path filler = mount.resolve("filler");
            final byte[] chunk = new byte[1 << 16];
            try (var out = Files.newOutputStream(filler))
            {
                while (true)
                {
                    out.write(chunk);
                }
            }
            catch (final IOException full)
            {
                // the tmpfs is full
            }
            final Path small = mount.resolve("small.store");
            assertThrows(IOException.class, () -> PageStore.create(small, 16));
            assertNoStoreFiles(small);
        }
        finally
        {
            new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
        }
    }

    private static void assertNoStoreFiles(final Path store) throws IOException
    {
        assertFalse(Files.exists(store), store + " must not exist");
        assertTrue(Formatter.temporaryFiles(store).isEmpty(),
            "no temporary file may be left");
    }

    private static String output(final Process process)
    {
        try
        {
            return new String(process.getInputStream().readAllBytes());
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }
}

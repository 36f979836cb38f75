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

import io.rangedmmap.store.PageReceipt;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RangedMmapCliTest
{
    private static final byte[] MARK = "ranged-mmap-cli-test-mark".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private long firstPage = -1;

    private int run(final String... args)
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return RangedMmapCli.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    private Path storeWithPages() throws Exception
    {
        final Path file = dir.resolve("s.store");
        try (PageStore store = PageStore.create(file, 64); PageWriter writer = store.newWriter())
        {
            final List<PageReceipt> receipts = new ArrayList<>();
            for (int i = 0; i < 5; i++)
            {
                final byte[] page = new byte[PageStore.PAGE_SIZE];
                System.arraycopy(MARK, 0, page, 0, MARK.length);
                page[MARK.length] = (byte)i;
                final long pageId = writer.allocate();
                firstPage = -1 == firstPage ? pageId : firstPage;
                receipts.add(writer.write(pageId, page));
            }
            store.setRoot(3, 42);
            store.checkpoint(receipts);
            // One more (empty) checkpoint: the pages above are then no longer what the newest checkpoint newly
            // wrote, which open verifies and falls back from (a one-flush checkpoint); verify must find them corrupt.
            store.checkpoint(List.of());
        }
        return file;
    }

    @Test
    void shouldShowInfo() throws Exception
    {
        final Path file = storeWithPages();
        assertEquals(0, run("info", file.toString()), err.toString());
        assertTrue(out.toString().contains("live pages:      5"), out.toString());
        assertTrue(out.toString().contains("free pages:      59"), out.toString());
        assertTrue(out.toString().contains("last checkpoint: 2"), out.toString());
        assertTrue(out.toString().contains("roots:           3=42"), out.toString());
    }

    @Test
    void shouldVerifyACleanStoreAndFailOnACorruptOne() throws Exception
    {
        final Path file = storeWithPages();
        assertEquals(0, run("verify", file.toString()), err.toString());
        assertTrue(out.toString().contains("checked 5 live pages"), out.toString());
        assertTrue(out.toString().contains("OK: no corruption found"), out.toString());
        assertEquals(0, run("verify", "--progress", file.toString()), err.toString());
        assertTrue(err.toString().contains("[##############################] 100.0% 64/64 pages"), err.toString());

        final byte[] bytes = Files.readAllBytes(file);
        final int at = indexOf(bytes, MARK);
        bytes[at + 100] ^= 1;
        Files.write(file, bytes);
        assertEquals(RangedMmapCli.CORRUPT, run("verify", file.toString()), err.toString());
        assertTrue(out.toString().contains("CORRUPT page"), out.toString());
        assertTrue(out.toString().contains("FAILED: corruption found"), out.toString());
    }

    @Test
    void shouldBackUpAStoreAndBringTheBackupForwardIncrementally() throws Exception
    {
        final Path file = storeWithPages();
        final Path backup = dir.resolve("b.store");
        assertEquals(0, run("backup", "--progress", file.toString(), backup.toString()), err.toString());
        assertTrue(out.toString().startsWith("backed up checkpoint 2 of " + file.toAbsolutePath() + " to " +
            backup.toAbsolutePath() + ": 5 pages copied, 1 metadata pages, 28,672 bytes in "), out.toString());
        assertTrue(err.toString().contains("[##############################] 100.0% 64/64 pages"), err.toString());
        assertEquals(RangedMmapCli.CANNOT_OPEN, run("backup", file.toString(), backup.toString()));
        assertTrue(err.toString().contains("FileAlreadyExistsException: " + backup.toAbsolutePath() +
            ": refusing to replace an existing file"), err.toString());
        try (PageStore store = PageStore.open(file); PageWriter writer = store.newWriter())
        {
            final long pageId = writer.allocate();
            store.free(firstPage);
            store.setRoot(4, 7);
            store.checkpoint(List.of(writer.write(pageId, new byte[PageStore.PAGE_SIZE])));
        }
        assertEquals(0, run("backup", "--incremental", file.toString(), backup.toString()), err.toString());
        assertTrue(out.toString().startsWith("brought backup forward to checkpoint 3 of " + file.toAbsolutePath() +
            " to " + backup.toAbsolutePath() + ": 1 pages copied, 1 metadata pages, "), out.toString());
        assertEquals(0, run("info", backup.toString()), err.toString());
        assertTrue(out.toString().contains("last checkpoint: 3"), out.toString());
        assertTrue(out.toString().contains("live pages:      5"), out.toString());
        assertTrue(out.toString().contains("roots:           3=42, 4=7"), out.toString());
        assertEquals(0, run("verify", backup.toString()), err.toString());
        final Path other = dir.resolve("other.store");
        PageStore.create(other, 64).close();
        assertEquals(RangedMmapCli.CANNOT_OPEN,
            run("backup", "--incremental", file.toString(), other.toString()));
        assertTrue(err.toString().contains("BackupMismatchException: " + other.toAbsolutePath() +
            " is not a backup of " + file.toAbsolutePath()), err.toString());
        assertEquals(0, run("help", "backup"), err.toString());
        assertTrue(out.toString().contains("A live store is backed up from inside the process"), out.toString());
    }

    @Test
    void shouldDumpAPageInHex() throws Exception
    {
        final Path file = storeWithPages();
        assertEquals(0, run("dump", file.toString(), Long.toString(firstPage)), err.toString());
        assertTrue(out.toString().contains(
            "00000000  72 61 6e 67 65 64 2d 6d  6d 61 70 2d 63 6c 69 2d  |ranged-mmap-cli-|"), out.toString());
        assertEquals(256 + 1, out.toString().lines().count());
        final long free = firstPage + 10;
        assertEquals(RangedMmapCli.CANNOT_OPEN, run("dump", file.toString(), Long.toString(free)));
        assertTrue(err.toString().contains(Long.toString(free)), err.toString());
        assertEquals(2, run("dump", file.toString(), "64"));
        assertTrue(err.toString().contains("page=64 must be in [0, 64)"), err.toString());
    }

    @Test
    void shouldExplainBadUsageAndMissingStores()
    {
        assertEquals(2, run());
        assertTrue(err.toString().contains("missing command"), err.toString());
        assertEquals(2, run("nonsense"));
        assertEquals(2, run("info"));
        assertTrue(err.toString().contains("Missing required parameter: '<store>'"), err.toString());
        assertEquals(RangedMmapCli.CANNOT_OPEN, run("info", dir.resolve("missing.store").toString()));
        assertTrue(err.toString().contains("NoSuchFileException"), err.toString());
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("Usage: ranged-mmap"), out.toString());
    }

    @Test
    void shouldRefuseAFileThatIsNotAStore() throws Exception
    {
        final Path file = Files.write(dir.resolve("not.store"), new byte[3 * 4096 * 4]);
        final byte[] before = Files.readAllBytes(file);
        assertEquals(RangedMmapCli.CANNOT_OPEN, run("verify", file.toString()));
        assertTrue(err.toString().contains("IncompatibleStoreException"), err.toString());
        assertTrue(Arrays.equals(before, Files.readAllBytes(file)));
    }

    @Test
    void shouldRunTheBuiltInBenchmark()
    {
        assertEquals(0, run("bench", "--size-mib", "8", "--rounds", "1", "--dir", dir.toString()), err.toString());
        assertTrue(out.toString().contains("1 MiB"), out.toString());
        assertEquals(4, out.toString().lines().filter(line -> line.contains("GiB/s") || line.contains("ratio"))
            .count(), out.toString());
    }

    private static int indexOf(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("mark not found");
    }
}

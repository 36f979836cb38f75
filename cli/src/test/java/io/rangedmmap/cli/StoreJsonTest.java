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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreJsonTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<Long> written = new ArrayList<>();

    private int run(final String... args)
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return RangedMmapCli.run(args, new PrintWriter(out), new PrintWriter(err));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> parsedOutput()
    {
        assertEquals(1, out.toString().lines().count(), out.toString());
        return (Map<String, Object>)MiniJson.parse(out.toString());
    }

    private Path store(final String name) throws Exception
    {
        final Path file = dir.resolve(name);
        try (PageStore store = PageStore.create(file, 64); PageWriter writer = store.newWriter())
        {
            final List<PageReceipt> receipts = new ArrayList<>();
            for (int i = 0; i < 5; i++)
            {
                final byte[] page = new byte[PageStore.PAGE_SIZE];
                page[100] = (byte)(i + 1);
                final long id = writer.allocate();
                written.add(id);
                receipts.add(writer.write(id, page));
            }
            store.setRoot(3, 42);
            store.setRoot(PageStore.ROOT_SLOTS - 1, -7);
            store.checkpoint(receipts);
            // One more (empty) checkpoint: the pages above are then no longer what the newest checkpoint newly
            // wrote, which open verifies and falls back from (a one-flush checkpoint); verify must find them corrupt.
            store.checkpoint(List.of());
        }
        return file;
    }

    @Test
    void shouldPrintInfoAsOneJsonObject() throws Exception
    {
        final Path file = store("s.store");
        assertEquals(0, run("info", "--json", file.toString()), err.toString());
        final Map<String, Object> info = parsedOutput();
        assertEquals(file.toString(), info.get("store"));
        assertEquals("ranged-mmap page store", info.get("format"));
        assertEquals(4096L, info.get("pageSize"));
        assertEquals(Files.size(file), info.get("fileSizeBytes"));
        assertEquals(64L, info.get("userPages"));
        assertEquals(64L * 4096, info.get("userBytes"));
        assertEquals(Map.of("live", 5L, "free", 59L, "inFlight", 0L), info.get("pages"));
        assertEquals(2L, info.get("lastCheckpoint"));
        final List<?> roots = (List<?>)info.get("roots");
        assertEquals(PageStore.ROOT_SLOTS, roots.size());
        assertEquals(42L, roots.get(3));
        assertEquals(-7L, roots.get(PageStore.ROOT_SLOTS - 1));
        assertEquals(0L, roots.get(0));
        assertEquals(false, info.get("verified"));
        assertEquals(List.of(), info.get("problems"));
        assertEquals(true, info.get("clean"));
    }

    @Test
    void shouldPrintVerifyFindingsAsOneJsonObject() throws Exception
    {
        final Path file = store("v.store");
        assertEquals(0, run("verify", "--json", file.toString()), err.toString());
        Map<String, Object> verify = parsedOutput();
        assertEquals(true, verify.get("verified"));
        assertEquals(5L, verify.get("pagesChecked"));
        assertTrue((Long)verify.get("metadataPagesChecked") > 0, verify.toString());
        assertEquals(List.of(), verify.get("problems"));
        assertEquals(true, verify.get("clean"));

        final byte[] bytes = Files.readAllBytes(file);
        final long corrupt = written.get(2);
        // Page 2 (written third) holds 3 at byte 100; the data area is the file's last 64 pages.
        final int at = (int)(bytes.length - 64L * 4096 + corrupt * 4096 + 100);
        assertEquals(3, bytes[at], "the layout this test assumes");
        bytes[at] ^= 0x40;
        Files.write(file, bytes);

        assertEquals(RangedMmapCli.CORRUPT, run("verify", "--json", file.toString()), err.toString());
        verify = parsedOutput();
        assertEquals(false, verify.get("clean"));
        final List<?> problems = (List<?>)verify.get("problems");
        assertEquals(1, problems.size(), verify.toString());
        final Map<?, ?> problem = (Map<?, ?>)problems.get(0);
        assertEquals("corruptPage", problem.get("kind"));
        assertEquals(corrupt, problem.get("page"));
        assertTrue(((String)problem.get("message")).contains("CRC32C"), problem.toString());
    }

    @Test
    void shouldEscapeAPathThatNeedsIt() throws Exception
    {
        final Path file = store("quote\" back\\slash\ttab.store");
        assertEquals(0, run("info", "--json", file.toString()), err.toString());
        assertEquals(file.toString(), parsedOutput().get("store"));
    }

    @Test
    void shouldRefuseMalformedJsonInTheTestParser()
    {
        // The parser is strict, so a passing test above means well-formed output.
        for (final String bad : List.of("{\"a\":1,}", "{\"a\" 1}", "[1 2]", "{\"a\":01}", "\"x", "{} {}",
            "{\"a\":1,\"a\":2}"))
        {
            assertThrows(IllegalArgumentException.class, () -> MiniJson.parse(bad), bad);
        }
        assertEquals(Map.of("a", List.of(1L, 2.5, true, false, "\n")), MiniJson.parse(
            "{\"a\":[1, 2.5, true, false, \"\\n\"]}"));
    }
}

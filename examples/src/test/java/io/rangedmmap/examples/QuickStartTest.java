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
package io.rangedmmap.examples;

import io.rangedmmap.examples.quickstart.CrashChild;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuickStartTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCommitFromManyWritersAndFindEveryAcknowledgedPageAfterKillNine() throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final QuickStart.Result result = QuickStart.run(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);

        final long pages = QuickStart.WRITERS * QuickStart.PAGES_PER_WRITER;
        assertEquals(pages, result.store().pages(), out);
        assertEquals(pages, result.channel().pages(), out);
        // Each commit is bounded to MAX_IN_FLIGHT pages, so 8,192 pages take at least 8 of them on each side.
        assertTrue(result.store().commitNanos().length >= pages / QuickStart.MAX_IN_FLIGHT, out);
        assertTrue(result.channel().commitNanos().length >= pages / QuickStart.MAX_IN_FLIGHT, out);
        assertTrue(result.store().commitPercentile(99) >= result.store().commitPercentile(50), out);
        assertTrue(result.store().mibPerSecond(4096) > 0 && result.channel().mibPerSecond(4096) > 0, out);

        // Killed mid-way: after at least 8 acknowledged checkpoints, well before the child's writers were done.
        assertTrue(result.acknowledged() >= 8, out);
        assertTrue(result.acknowledgedPages() > 0, out);
        assertTrue(result.acknowledgedPages() < CrashChild.STORE_PAGES - 1024, out);
        assertTrue(result.reopenedAt() == result.lastAcknowledged() ||
            result.reopenedAt() == result.lastAcknowledged() + 1, out);
        assertEquals(result.acknowledgedPages(), result.pagesIdentical(), out);
        assertTrue(result.verify().isClean(), out);
        assertTrue(result.verify().pagesChecked() >= result.acknowledgedPages(), out);

        assertTrue(out.contains("   PageStore ") && out.contains("   FileChannel "), out);
        assertTrue(out.contains("5. all " + String.format("%,d", result.acknowledgedPages()) + " pages of the " +
            result.acknowledged() + " acknowledged checkpoints read back byte for byte as written"), out);
        // The issue asks for under 30 s on 2 cores; a test on a shared, loaded VM allows twice that.
        assertTrue(result.nanos() < TimeUnit.SECONDS.toNanos(60), out);
    }
}

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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MmapQuickStartTest
{
    @TempDir
    Path dir;

    @Test
    void shouldWriteTwoRangesFromTwoThreadsAndReadThemBack() throws Exception
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final Path file = dir.resolve("quickstart.bin");
        MmapQuickStart.run(file, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("6. read back [0, 524288): all 524288 bytes are 0x01 - OK"), out);
        assertTrue(out.contains("6. read back [524288, 1048576): all 524288 bytes are 0x02 - OK"), out);
        assertTrue(out.contains("Done:"), out);
        assertEquals(1 << 20, Files.size(file));
    }

    @Test
    void shouldRunAsAProgramWithATemporaryFile() throws Exception
    {
        MmapQuickStart.main(new String[0]);
    }
}

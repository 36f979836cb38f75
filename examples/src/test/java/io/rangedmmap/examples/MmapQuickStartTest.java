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

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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed msync (injected with libfiu's {@code fiu-run}) fails the file for good: no retry reports success.
 */
class FlushFailureTest
{
    private static final Path FIU_RUN = Path.of("/usr/bin/fiu-run");

    @TempDir
    Path dir;

    @Test
    void shouldFailTheFileAtTheFirstFlushErrorAndNeverReportSuccessAfter() throws Exception
    {
        if (!Files.isExecutable(FIU_RUN))
        {
            // CI installs fiu-utils (.ci/run), so there the check always runs.
            Assumptions.assumeFalse(null == System.getenv("CI"), "fiu-run missing: apt-get install fiu-utils");
            throw new AssertionError("CI must have fiu-run: apt-get install fiu-utils");
        }
        final ChildJvm.Result result = ChildJvm.run(
            List.of(FIU_RUN.toString(), "-x", "-c", "enable name=posix/mm/msync"),
            List.of(ChildJvm.ADD_OPENS, ChildJvm.NATIVE_ACCESS), FlushFailureMain.class,
            dir.resolve("f.bin").toString());
        final String out = result.output();
        assertTrue(out.contains("flushRange: IOException cause=IOException"), out);
        assertTrue(out.contains("isFailed=true other.isFailed=true"), out);
        assertTrue(out.contains("writeRange: IllegalStateException cause=IOException"), out);
        assertTrue(out.contains("flushRange-again: IOException cause=IOException"), out);
        assertTrue(out.contains("syncAll-other: IOException cause=IOException"), out);
        assertTrue(!out.contains("returned normally"), out);
    }
}

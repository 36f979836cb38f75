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
package io.rangedmmap.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The temporary directories the benchmarks create their files in.
 */
final class TempDirs
{
    private TempDirs()
    {
    }

    /**
     * Deletes a directory and the files in it, if it exists.
     *
     * @param dir the directory, or {@code null}.
     * @throws IOException if something cannot be deleted.
     */
    static void deleteTree(final Path dir) throws IOException
    {
        if (null != dir && Files.exists(dir))
        {
            MmapWriteBenchmark.deleteTree(dir);
        }
    }
}

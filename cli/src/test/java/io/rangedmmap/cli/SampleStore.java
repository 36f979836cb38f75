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

import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The small store the integration tests run the tool on: 32 pages, one live page, root 1 set to 7, checkpoint 1.
 */
final class SampleStore
{
    private SampleStore()
    {
    }

    /**
     * Creates it.
     *
     * @param file where; must not exist.
     * @return {@code file}.
     * @throws IOException if it cannot be written.
     */
    static Path create(final Path file) throws IOException
    {
        try (PageStore pageStore = PageStore.create(file, 32); PageWriter writer = pageStore.newWriter())
        {
            final long page = writer.allocate();
            pageStore.setRoot(1, 7);
            pageStore.checkpoint(List.of(writer.write(page, new byte[PageStore.PAGE_SIZE])));
        }
        return file;
    }
}

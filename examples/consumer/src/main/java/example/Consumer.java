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
package example;

import io.rangedmmap.mmap.AllocatedRange;
import io.rangedmmap.mmap.Mapping;
import io.rangedmmap.mmap.MmapFile;
import io.rangedmmap.mmap.SequentialAllocator;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Uses both artifacts: writes a range with {@code MmapFile}, a page with {@code PageStore}, and reads both back.
 * Run with {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED}.
 */
public final class Consumer
{
    private Consumer()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Path.of(args[0]);
        final byte[] data = new byte[4096];
        Arrays.fill(data, (byte)7);
        try (Mapping<SequentialAllocator> mapping = MmapFile.createDefault(dir.resolve("file.bin"), 8192))
        {
            final AllocatedRange range = mapping.allocator().allocate(4096).orElseThrow();
            mapping.file().flushRange(mapping.file().writeRange(range, data));
        }
        final long page;
        try (PageStore store = PageStore.create(dir.resolve("pages.store"), 16); PageWriter writer = store.newWriter())
        {
            page = writer.allocate();
            store.checkpoint(List.of(writer.write(page, data)));
        }
        try (PageStore store = PageStore.open(dir.resolve("pages.store")))
        {
            final byte[] back = new byte[PageStore.PAGE_SIZE];
            store.read(page, back);
            System.out.println("consumer: page " + page + " read back " + (Arrays.equals(data, back) ? "OK" : "WRONG") +
                " at checkpoint " + store.lastCheckpoint());
        }
    }
}

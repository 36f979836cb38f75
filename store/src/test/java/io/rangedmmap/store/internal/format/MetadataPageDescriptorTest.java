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
package io.rangedmmap.store.internal.format;

import io.rangedmmap.store.IncompatibleStoreException;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

class MetadataPageDescriptorTest
{
    @Test
    void shouldHold510EntriesAfterA16ByteHeader()
    {
        assertEquals(510, MetadataPageDescriptor.ENTRIES_PER_PAGE);
        assertEquals(16, MetadataPageDescriptor.entryOffset(0));
        assertEquals(4088, MetadataPageDescriptor.entryOffset(509));
        assertEquals(16, MetadataPageDescriptor.entryOffset(510));
        assertEquals(1, MetadataPageDescriptor.tablePageOf(510));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "510, 1", "511, 2", "1048576, 2057"})
    void shouldCountMetadataPages(final long pageCount, final long metadataPages)
    {
        assertEquals(metadataPages, MetadataPageDescriptor.metadataPagesFor(pageCount));
    }

    @Test
    void shouldSealAndCheckAPage()
    {
        final UnsafeBuffer page = new UnsafeBuffer(new byte[4096]);
        MetadataPageDescriptor.putEntry(page, 513, MetadataPageDescriptor.FLAG_LIVE, 0xCAFE);
        MetadataPageDescriptor.seal(page, 1, 7);
        assertNull(MetadataPageDescriptor.check(page, 1, 7));
        assertEquals(0xCAFE, MetadataPageDescriptor.entryCrc(page, 513));
        assertEquals(MetadataPageDescriptor.FLAG_LIVE, MetadataPageDescriptor.entryFlags(page, 513));
        assertEquals("metadata page 2 carries tableIndex=1", MetadataPageDescriptor.check(page, 2, 7));
        assertEquals("metadata page 1 has sequence=7, newer than superblock sequence=6",
            MetadataPageDescriptor.check(page, 1, 6));
        page.putByte(1000, (byte)1);
        final IncompatibleStoreException ex = assertThrowsExactly(IncompatibleStoreException.class,
            () -> MetadataPageDescriptor.checkPage(page, 1, 7, Path.of("/s")));
        assertEquals(IncompatibleStoreException.Problem.CORRUPT_METADATA, ex.problem());
    }
}

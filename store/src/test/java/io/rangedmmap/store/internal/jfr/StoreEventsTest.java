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
package io.rangedmmap.store.internal.jfr;

import io.rangedmmap.store.Checkpoint;
import io.rangedmmap.store.PageReceipt;
import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.PageWriter;
import io.rangedmmap.store.StoreOptions;
import io.rangedmmap.store.internal.Lifecycle;
import io.rangedmmap.store.internal.format.StoreLayout;
import io.rangedmmap.store.internal.format.SuperblockDescriptor;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreEventsTest
{
    private static final String CHECKPOINT = "io.rangedmmap.store.Checkpoint";
    private static final String FALLBACK = "io.rangedmmap.store.SuperblockFallback";
    private static final String FAILED = "io.rangedmmap.store.StoreFailed";
    private static final String GROWTH = "io.rangedmmap.store.Growth";

    @TempDir
    Path dir;

    @Test
    void shouldRecordEachCheckpointWithItsPhases() throws Exception
    {
        final Path file = dir.resolve("s.store");
        final Checkpoint checkpoint;
        final List<RecordedEvent> events;
        try (Recording recording = new Recording())
        {
            recording.enable(CHECKPOINT);
            recording.start();
            try (PageStore store = PageStore.create(file, 256); PageWriter writer = store.newWriter())
            {
                final List<PageReceipt> receipts = new ArrayList<>();
                for (int i = 0; i < 3; i++)
                {
                    final long page = writer.allocate();
                    receipts.add(writer.write(page, new byte[PageStore.PAGE_SIZE]));
                }
                checkpoint = store.checkpoint(receipts);
            }
            recording.stop();
            events = read(recording, CHECKPOINT);
        }
        assertEquals(1, events.size(), events.toString());
        final RecordedEvent event = events.get(0);
        assertEquals(file.toString(), event.getString("store"));
        assertEquals(1, event.getLong("sequence"));
        assertEquals(3, event.getLong("pages"));
        assertEquals(checkpoint.metadataPagesFlushed(), event.getLong("metadataPages"));
        assertEquals(checkpoint.bytesFlushed(), event.getLong("bytes"));
        final Duration write = event.getDuration("metadataWriteNanos");
        final Duration flush = event.getDuration("flushNanos");
        final Duration superblock = event.getDuration("superblockNanos");
        assertTrue(flush.toNanos() > 0 && superblock.toNanos() > 0, event.toString());
        // The phases are consecutive laps inside the event's own span.
        assertTrue(write.plus(flush).plus(superblock).compareTo(event.getDuration()) <= 0, event.toString());
    }

    @Test
    void shouldRecordAFallbackToTheOlderSuperblock() throws Exception
    {
        final Path file = dir.resolve("f.store");
        final byte[] killed;
        try (PageStore store = PageStore.create(file, 64); PageWriter writer = store.newWriter())
        {
            store.checkpoint(List.of(writer.write(writer.allocate(), new byte[PageStore.PAGE_SIZE])));
            store.checkpoint(List.of(writer.write(writer.allocate(), new byte[PageStore.PAGE_SIZE])));
            killed = Files.readAllBytes(file);
        }
        // As a kill -9 leaves it: a clean close would have written checkpoint 2 over checkpoint 1's superblock.
        Files.write(file, killed);
        // Checkpoint 2 wrote slot 0 (sequence & 1); a flipped byte there is a superblock cut short.
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw"))
        {
            final long at = StoreLayout.superblockOffset(0) + SuperblockDescriptor.SEQUENCE_OFFSET;
            raw.seek(at);
            final int b = raw.read();
            raw.seek(at);
            raw.write(b ^ 0x01);
        }
        final List<RecordedEvent> events;
        try (Recording recording = new Recording())
        {
            recording.enable(FALLBACK);
            recording.start();
            try (PageStore store = PageStore.open(file))
            {
                assertEquals(1, store.lastCheckpoint());
            }
            recording.stop();
            events = read(recording, FALLBACK);
        }
        assertEquals(1, events.size(), events.toString());
        assertEquals(file.toString(), events.get(0).getString("store"));
        assertEquals(0, events.get(0).getInt("rejectedSlot"));
        assertEquals(1, events.get(0).getLong("sequence"));
    }

    @Test
    void shouldRecordTheFirstFailureOnly() throws Exception
    {
        final List<RecordedEvent> events;
        try (Recording recording = new Recording())
        {
            recording.enable(FAILED);
            recording.start();
            final Lifecycle lifecycle = new Lifecycle("/data/x.store");
            lifecycle.fail(new IOException("msync failed: EIO"));
            lifecycle.fail(new IOException("second error"));
            recording.stop();
            events = read(recording, FAILED);
        }
        assertEquals(1, events.size(), events.toString());
        assertEquals("/data/x.store", events.get(0).getString("store"));
        assertEquals(IOException.class.getName(), events.get(0).getString("error"));
        assertEquals("msync failed: EIO", events.get(0).getString("message"));
        assertFalse(events.get(0).getStackTrace().getFrames().isEmpty());
    }

    @Test
    void shouldRecordEachGrowthWithTheSizesBeforeAndAfter() throws Exception
    {
        final Path file = dir.resolve("g.store");
        final List<RecordedEvent> events;
        final long grown;
        try (Recording recording = new Recording())
        {
            recording.enable(GROWTH).withThreshold(Duration.ZERO);
            recording.start();
            try (PageStore store = PageStore.create(file, 64, StoreOptions.defaults().withMaxPages(4_096)
                .withGrowthPages(1_000)); PageWriter writer = store.newWriter())
            {
                assertEquals(2_000, store.grow(2_000));
                writer.allocate(1_500);
                assertEquals(2_000, store.pageCount());
                // Automatic: a run longer than what is left free grows the store by at least one step.
                writer.allocate(1_000);
                grown = store.pageCount();
                assertTrue(grown >= 3_000, "pageCount=" + grown);
            }
            recording.stop();
            events = read(recording, GROWTH);
        }
        assertEquals(2, events.size(), events.toString());
        assertEquals(file.toString(), events.get(0).getString("store"));
        assertEquals(64, events.get(0).getLong("oldPageCount"));
        assertEquals(2_000, events.get(0).getLong("newPageCount"));
        assertEquals(4_096, events.get(0).getLong("maxPages"));
        assertEquals(StoreLayout.fileSizeFor(2_000), events.get(0).getLong("fileSize"));
        assertEquals(2_000, events.get(1).getLong("oldPageCount"));
        assertEquals(grown, events.get(1).getLong("newPageCount"));
        assertTrue(events.get(1).getDuration().toNanos() >= 0);
    }

    @Test
    void shouldRecordNothingWhenNoRecordingEnablesTheEvents() throws Exception
    {
        assertFalse(new CheckpointEvent().isEnabled());
        try (PageStore store = PageStore.create(dir.resolve("q.store"), 64); PageWriter writer = store.newWriter())
        {
            assertEquals(1, store.checkpoint(List.of(writer.write(writer.allocate(),
                new byte[PageStore.PAGE_SIZE]))).sequence());
        }
    }

    private List<RecordedEvent> read(final Recording recording, final String name) throws IOException
    {
        final Path jfr = dir.resolve(name + ".jfr");
        recording.dump(jfr);
        return RecordingFile.readAllEvents(jfr).stream().filter(e -> name.equals(e.getEventType().getName()))
            .toList();
    }
}

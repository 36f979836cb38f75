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

import java.nio.file.Path;

/**
 * Times the phases of one checkpoint for a {@link CheckpointEvent}, and does nothing when the event is not enabled:
 * {@link #begin()} then returns a shared instance whose methods return at once, without reading the clock.
 *
 * <p><b>Thread safety:</b> one checkpoint, so one thread (the store's checkpoint lock).
 */
public final class CheckpointTrace
{
    private static final CheckpointTrace OFF = new CheckpointTrace(null);

    private final CheckpointEvent event;
    private long mark;

    private CheckpointTrace(final CheckpointEvent event)
    {
        this.event = event;
    }

    /**
     * {@return a trace of the checkpoint starting now; a no-op one when no recording enables the event}
     */
    public static CheckpointTrace begin()
    {
        final CheckpointEvent event = new CheckpointEvent();
        if (!event.isEnabled())
        {
            return OFF;
        }
        final CheckpointTrace trace = new CheckpointTrace(event);
        event.begin();
        trace.mark = System.nanoTime();
        return trace;
    }

    /**
     * Ends the metadata write phase.
     */
    public void metadataWritten()
    {
        if (null != event)
        {
            event.metadataWriteNanos = lap();
        }
    }

    /**
     * Ends the data and metadata flush phase.
     */
    public void flushed()
    {
        if (null != event)
        {
            event.flushNanos = lap();
        }
    }

    /**
     * Ends the superblock phase and commits the event, if the recording wants it (a threshold may drop it).
     *
     * @param store      the store file, for the event.
     * @param checkpoint what the checkpoint made durable.
     */
    public void end(final Path store, final Checkpoint checkpoint)
    {
        if (null == event)
        {
            return;
        }
        event.superblockNanos = lap();
        event.end();
        if (event.shouldCommit())
        {
            event.store = store.toString();
            event.sequence = checkpoint.sequence();
            event.pages = checkpoint.pagesFlushed();
            event.metadataPages = checkpoint.metadataPagesFlushed();
            event.bytes = checkpoint.bytesFlushed();
            event.commit();
        }
    }

    private long lap()
    {
        final long now = System.nanoTime();
        final long phase = now - mark;
        mark = now;
        return phase;
    }
}

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

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One checkpoint that returned, so is durable; its JFR duration is the whole checkpoint. Emitted through
 * {@link CheckpointTrace}.
 */
@Name("io.rangedmmap.store.Checkpoint")
@Label("Page Store Checkpoint")
@Category({"ranged-mmap", "Page Store"})
@Description("A checkpoint of a page store: what it made durable and how long each phase took")
@StackTrace(false)
public final class CheckpointEvent extends Event
{
    CheckpointEvent()
    {
    }

    @Label("Store")
    @Description("The store file")
    String store;

    @Label("Sequence")
    @Description("The checkpoint's sequence")
    long sequence;

    @Label("Pages")
    @Description("User pages made durable (one per receipt)")
    long pages;

    @Label("Metadata Pages")
    @Description("Metadata table pages written and flushed")
    long metadataPages;

    @Label("Bytes")
    @Description("Bytes made durable: user pages, metadata pages and the superblock")
    @DataAmount
    long bytes;

    @Label("Metadata Write")
    @Description("Writing the changed metadata table pages into the unused copy")
    @Timespan
    long metadataWriteNanos;

    @Label("Data and Metadata Flush")
    @Description("The msync that makes the receipts' pages and the new metadata durable")
    @Timespan
    long flushNanos;

    @Label("Superblock Write and Flush")
    @Description("Writing the new superblock and its msync")
    @Timespan
    long superblockNanos;
}

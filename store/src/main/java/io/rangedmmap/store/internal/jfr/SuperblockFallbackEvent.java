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
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * An open that used the older superblock because the other one could not be read (a checkpoint cut short while its
 * superblock was written, or damage).
 */
@Name("io.rangedmmap.store.SuperblockFallback")
@Label("Page Store Superblock Fallback")
@Category({"ranged-mmap", "Page Store"})
@Description("An open fell back to the older superblock because the other one is invalid")
@StackTrace(false)
public final class SuperblockFallbackEvent extends Event
{
    private SuperblockFallbackEvent()
    {
    }

    @Label("Store")
    @Description("The store file")
    String store;

    @Label("Rejected Slot")
    @Description("The superblock slot that could not be used")
    int rejectedSlot;

    @Label("Reason")
    @Description("Why that slot was rejected")
    String reason;

    @Label("Sequence Used")
    @Description("The checkpoint sequence of the superblock the store opened at")
    long sequence;

    /**
     * Emits the event if a recording enables it.
     *
     * @param store        the store file.
     * @param rejectedSlot the slot not used.
     * @param reason       why.
     * @param sequence     the checkpoint the store opened at.
     */
    public static void emit(final String store, final int rejectedSlot, final String reason, final long sequence)
    {
        final SuperblockFallbackEvent event = new SuperblockFallbackEvent();
        if (event.shouldCommit())
        {
            event.store = store;
            event.rejectedSlot = rejectedSlot;
            event.reason = reason;
            event.sequence = sequence;
            event.commit();
        }
    }
}

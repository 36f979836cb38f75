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
package io.rangedmmap.store;

import java.time.Duration;

/**
 * What a completed checkpoint made durable, returned by {@link PageStore#checkpoint(java.util.Collection)}.
 *
 * @param sequence             the checkpoint's sequence: one above the previous durable checkpoint's.
 * @param pagesFlushed         the number of user pages made durable (one per receipt).
 * @param metadataPagesFlushed the number of metadata table pages written and flushed.
 * @param bytesFlushed         the bytes written out: user pages, metadata pages and the superblock.
 * @param durationNanos        how long the checkpoint took, in nanoseconds.
 */
public record Checkpoint(
    long sequence, long pagesFlushed, long metadataPagesFlushed, long bytesFlushed, long durationNanos)
{
    /**
     * {@return how long the checkpoint took}
     */
    public Duration duration()
    {
        return Duration.ofNanos(durationNanos);
    }
}

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

/**
 * Why {@link PageStore#open(java.nio.file.Path)} opened a store from one superblock while the other was rejected,
 * from {@link PageStore#superblockFallback()}.
 *
 * <p>A store keeps two superblocks and checkpoints write them in turn, so that a superblock torn by a crash while it
 * was written leaves the previous checkpoint to open. Damage to the newest superblock looks the same: the store
 * then opens at the previous checkpoint, and a checkpoint that was acknowledged is rolled back. Either way the store
 * has only one valid superblock until its next checkpoint rewrites the other: {@link PageStore#verify()} reports
 * it, and the fallback is logged at WARN when the store is opened.
 *
 * @param usedSlot          the superblock slot the store was opened from, 0 or 1.
 * @param usedSequence      the checkpoint sequence of that superblock: the checkpoint the store opened at.
 * @param rejectedSlot      the other slot.
 * @param rejectedSequence  the checkpoint sequence the rejected superblock's bytes claim (unreliable: they failed a
 *                          check); above {@code usedSequence} means a newer checkpoint may have been lost.
 * @param reason            why it was rejected, with the values found.
 */
public record SuperblockFallback(
    int usedSlot, long usedSequence, int rejectedSlot, long rejectedSequence, String reason)
{
    @Override
    public String toString()
    {
        return "opened from superblock slot " + usedSlot + " (checkpoint " + usedSequence + "); slot " +
            rejectedSlot + " (claims checkpoint " + rejectedSequence + ") was rejected: " + reason;
    }
}

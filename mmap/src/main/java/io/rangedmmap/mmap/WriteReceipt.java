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
package io.rangedmmap.mmap;

/**
 * Proof that a write of a whole {@link AllocatedRange} completed: the only thing
 * {@link MmapFile#flushRange(WriteReceipt)} accepts.
 *
 * <p>Only {@code MmapFile.writeRange} hands out receipts, and only after the write returned normally; a receipt is
 * bound to the file its range belongs to. Every write of one range hands out the same receipt (it names the range
 * and nothing else), so a write allocates nothing.
 *
 * <p><b>Thread safety:</b> immutable.
 */
public final class WriteReceipt
{
    private final AllocatedRange range;

    WriteReceipt(final AllocatedRange range)
    {
        this.range = range;
    }

    /**
     * {@return the range that was written}
     */
    public AllocatedRange range()
    {
        return range;
    }

    @Override
    public String toString()
    {
        return "WriteReceipt{" + range + "}";
    }
}

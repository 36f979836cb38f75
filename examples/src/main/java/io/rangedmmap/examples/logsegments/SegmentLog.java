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
package io.rangedmmap.examples.logsegments;

import io.rangedmmap.mmap.AllocatedRange;
import io.rangedmmap.mmap.AllocatorType;
import io.rangedmmap.mmap.ConcurrentAllocator;
import io.rangedmmap.mmap.Mapping;
import io.rangedmmap.mmap.MmapFile;
import io.rangedmmap.mmap.SequentialAllocator;
import io.rangedmmap.mmap.WriteReceipt;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;
import java.util.zip.CRC32C;

/**
 * A log segment that several threads append length-prefixed records to at once, through the concurrent allocator,
 * with periodic checkpoints; and a replay of every durable record after a reopen.
 *
 * <p>Each appender packs records into a 64 KiB block of its own and writes the whole block into a range it
 * allocated (one atomic add, no lock). A block is:
 * <pre>
 *   0: int magic   4: int payload length   8: int record count   12: int CRC32C of the payload
 *  16: records, each [int length][bytes], then zero padding to 64 KiB
 * </pre>
 * {@link #checkpoint()} flushes every block written since the last one: a block is durable once a checkpoint has
 * returned after it was committed. Replay scans the blocks in file order and keeps those whose magic and CRC hold,
 * so a block torn by a crash is skipped, never half-read.
 */
public final class SegmentLog implements AutoCloseable
{
    /**
     * The size of every block.
     */
    public static final int BLOCK = 64 * 1024;
    private static final int HEADER = 16;
    private static final int MAGIC = 0x5E6D_E001;

    private final Mapping<ConcurrentAllocator> mapping;
    private final ConcurrentLinkedQueue<WriteReceipt> unflushed = new ConcurrentLinkedQueue<>();

    private SegmentLog(final Mapping<ConcurrentAllocator> mapping)
    {
        this.mapping = mapping;
    }

    /**
     * Creates a segment of {@code blocks} blocks.
     *
     * @param file   the segment file.
     * @param blocks capacity in blocks.
     * @return the open segment.
     * @throws IOException if the file cannot be created.
     */
    public static SegmentLog create(final Path file, final int blocks) throws IOException
    {
        return new SegmentLog(MmapFile.create(file, (long)blocks * BLOCK, AllocatorType.CONCURRENT));
    }

    /**
     * {@return a new appender, for one thread}
     */
    public Appender newAppender()
    {
        return new Appender();
    }

    /**
     * Flushes every block committed so far.
     *
     * @return how many blocks this checkpoint made durable.
     * @throws IOException if a flush fails; the segment is then failed.
     */
    public int checkpoint() throws IOException
    {
        int flushed = 0;
        WriteReceipt receipt;
        while (null != (receipt = unflushed.poll()))
        {
            mapping.file().flushRange(receipt);
            flushed++;
        }
        return flushed;
    }

    /**
     * Closes the segment without a checkpoint.
     */
    @Override
    public void close()
    {
        mapping.close();
    }

    /**
     * Replays every durable record of a segment in file order.
     *
     * @param file     the segment file.
     * @param consumer gets each record as a buffer and the offset of its length prefix.
     * @return the number of valid blocks.
     * @throws IOException if the file cannot be opened.
     */
    public static int replay(final Path file, final BiConsumer<DirectBuffer, Integer> consumer) throws IOException
    {
        int valid = 0;
        try (Mapping<SequentialAllocator> m = MmapFile.openDefault(file))
        {
            Optional<AllocatedRange> block;
            final int[] validBlock = new int[1];
            while ((block = m.allocator().allocateExact(BLOCK)).isPresent())
            {
                validBlock[0] = 0;
                m.file().readRange(block.get(), view -> validBlock[0] = replayBlock(view, consumer));
                valid += validBlock[0];
            }
        }
        return valid;
    }

    private static int replayBlock(final DirectBuffer view, final BiConsumer<DirectBuffer, Integer> consumer)
    {
        final int length = view.getInt(4, ByteOrder.LITTLE_ENDIAN);
        if (MAGIC != view.getInt(0, ByteOrder.LITTLE_ENDIAN) || length < 0 || length > BLOCK - HEADER)
        {
            return 0;
        }
        final byte[] payload = new byte[length];
        view.getBytes(HEADER, payload);
        final CRC32C crc = new CRC32C();
        crc.update(payload);
        if ((int)crc.getValue() != view.getInt(12, ByteOrder.LITTLE_ENDIAN))
        {
            return 0;
        }
        final int count = view.getInt(8, ByteOrder.LITTLE_ENDIAN);
        int at = HEADER;
        for (int i = 0; i < count; i++)
        {
            consumer.accept(view, at);
            at += 4 + view.getInt(at, ByteOrder.LITTLE_ENDIAN);
        }
        return 1;
    }

    /**
     * Appends records into blocks of its own; used by one thread at a time.
     */
    public final class Appender
    {
        private final ByteBuffer block = ByteBuffer.allocate(BLOCK).order(ByteOrder.LITTLE_ENDIAN);
        private int records;

        private Appender()
        {
            block.position(HEADER);
        }

        /**
         * Appends one record; writes the current block first if the record does not fit.
         *
         * @param record the record: at most {@code BLOCK - 20} bytes.
         * @return {@code false} if the segment is full.
         */
        public boolean append(final byte[] record)
        {
            if (record.length > BLOCK - HEADER - 4)
            {
                throw new IllegalArgumentException("record of length=" + record.length + " exceeds " +
                    (BLOCK - HEADER - 4));
            }
            if (block.remaining() < 4 + record.length && !commit())
            {
                return false;
            }
            block.putInt(record.length).put(record);
            records++;
            return true;
        }

        /**
         * Writes the current block, if it holds records, into a newly allocated range; the next checkpoint makes
         * it durable.
         *
         * @return {@code false} if the segment is full.
         */
        public boolean commit()
        {
            if (0 == records)
            {
                return true;
            }
            final Optional<AllocatedRange> range = mapping.allocator().allocateExact(BLOCK);
            if (range.isEmpty())
            {
                return false;
            }
            final int length = block.position() - HEADER;
            final CRC32C crc = new CRC32C();
            crc.update(block.array(), HEADER, length);
            block.putInt(0, MAGIC).putInt(4, length).putInt(8, records).putInt(12, (int)crc.getValue());
            java.util.Arrays.fill(block.array(), block.position(), BLOCK, (byte)0);
            unflushed.add(mapping.file().writeRange(range.get(), block.array()));
            block.clear().position(HEADER);
            records = 0;
            return true;
        }
    }
}

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

import java.io.PrintStream;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Four threads append records into one segment while a fifth checkpoints every few milliseconds; then the segment
 * is reopened and every record is replayed and checked, in each writer's order.
 */
public final class LogSegmentsExample
{
    private static final int WRITERS = 4;

    private LogSegmentsExample()
    {
    }

    /**
     * Entry point.
     *
     * @param args the segment file to create (must not exist).
     * @throws Exception if anything fails.
     */
    public static void main(final String[] args) throws Exception
    {
        run(Path.of(args.length > 0 ? args[0] : "segment.log"), 20_000, System.out);
    }

    /**
     * Runs the example.
     *
     * @param file             the segment file.
     * @param recordsPerWriter records each writer appends.
     * @param out              where to print.
     * @return the number of records replayed.
     * @throws Exception if anything fails or a record is missing or out of order.
     */
    public static long run(final Path file, final int recordsPerWriter, final PrintStream out) throws Exception
    {
        final AtomicInteger checkpoints = new AtomicInteger();
        try (SegmentLog log = SegmentLog.create(file, 2048))
        {
            final Thread[] writers = new Thread[WRITERS];
            for (int w = 0; w < WRITERS; w++)
            {
                final int writer = w;
                writers[w] = Thread.ofPlatform().start(() ->
                {
                    final SegmentLog.Appender appender = log.newAppender();
                    final SplittableRandom random = new SplittableRandom(writer);
                    for (int seq = 0; seq < recordsPerWriter; seq++)
                    {
                        final byte[] record = new byte[8 + random.nextInt(400)];
                        java.nio.ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).putInt(writer).putInt(seq);
                        if (!appender.append(record))
                        {
                            throw new IllegalStateException("segment full");
                        }
                        if (0 == seq % 500)
                        {
                            appender.commit();
                        }
                    }
                    appender.commit();
                });
            }
            final Thread checkpointer = Thread.ofPlatform().start(() ->
            {
                try
                {
                    while (!Thread.currentThread().isInterrupted())
                    {
                        log.checkpoint();
                        checkpoints.incrementAndGet();
                        Thread.sleep(5);
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                catch (final java.io.IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            for (final Thread writer : writers)
            {
                writer.join();
            }
            checkpointer.interrupt();
            checkpointer.join();
            log.checkpoint();
        }
        final int[] nextSeq = new int[WRITERS];
        final long[] replayed = new long[1];
        final int blocks = SegmentLog.replay(file, (buffer, at) ->
        {
            final int writer = buffer.getInt(at + 4, ByteOrder.LITTLE_ENDIAN);
            final int seq = buffer.getInt(at + 8, ByteOrder.LITTLE_ENDIAN);
            if (seq != nextSeq[writer])
            {
                throw new IllegalStateException("writer " + writer + " record " + seq + " replayed where " +
                    nextSeq[writer] + " was expected");
            }
            nextSeq[writer]++;
            replayed[0]++;
        });
        out.println(WRITERS + " writers appended " + (long)WRITERS * recordsPerWriter + " records with " +
            checkpoints.get() + " checkpoints; replay after reopen found " + blocks + " blocks and " + replayed[0] +
            " records, each writer's in order");
        if (replayed[0] != (long)WRITERS * recordsPerWriter)
        {
            throw new IllegalStateException("replayed " + replayed[0] + " records");
        }
        return replayed[0];
    }
}

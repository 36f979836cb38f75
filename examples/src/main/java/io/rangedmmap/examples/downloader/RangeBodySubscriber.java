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
package io.rangedmmap.examples.downloader;

import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Streams a ranged response body into the range's view of the mapped file: each list of {@code ByteBuffer}s the
 * {@code HttpClient} receives is handed, as is, to the thread inside the range's {@code writeRange} callback, which
 * copies it into the view ({@link #fill}); no {@code InputStream}, no intermediate {@code byte[]}.
 *
 * <p>Why the copy is on the callback's thread and not in {@code onNext}: the view is valid only during that
 * callback, and the mmap library turns a fault of a copy into its typed {@code MappingFaultException} (failing the
 * file) only for copies made by the thread inside the callback. Demand is bounded ({@link #WINDOW} lists ahead), so a
 * slow copy slows the connection instead of filling the heap.
 *
 * <p><b>Thread safety:</b> the client calls the {@code Subscriber} methods (serially, Reactive Streams rule 1.3);
 * one thread calls {@link #fill} and {@link #cancel}.
 */
final class RangeBodySubscriber implements HttpResponse.BodySubscriber<Void>
{
    /**
     * Lists of buffers requested ahead of the copy.
     */
    static final int WINDOW = 16;

    private static final List<ByteBuffer> COMPLETE = List.of();

    private final String range;
    private final AtomicLongArray progress;
    private final int chunk;
    private final AtomicLong downloaded;
    private final LinkedBlockingQueue<List<ByteBuffer>> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> body = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private volatile Throwable error;

    RangeBodySubscriber(final String range, final AtomicLongArray progress, final int chunk,
        final AtomicLong downloaded)
    {
        this.range = range;
        this.progress = progress;
        this.chunk = chunk;
        this.downloaded = downloaded;
    }

    @Override
    public void onSubscribe(final Flow.Subscription subscription)
    {
        this.subscription = subscription;
        // The response is handed over at once, like BodyHandlers.ofInputStream: the body is consumed by fill().
        body.complete(null);
        subscription.request(WINDOW);
    }

    @Override
    public void onNext(final List<ByteBuffer> buffers)
    {
        received.add(buffers);
    }

    @Override
    public void onError(final Throwable throwable)
    {
        error = throwable;
        received.add(COMPLETE);
    }

    @Override
    public void onComplete()
    {
        received.add(COMPLETE);
    }

    @Override
    public CompletionStage<Void> getBody()
    {
        return body;
    }

    /**
     * Copies the whole body into {@code view}, on the calling thread, as it arrives.
     *
     * @param view         the range's view, exactly as long as the body must be.
     * @param stallSeconds the longest wait for the next buffers before giving up.
     * @throws IOException          if the body is shorter or longer than the view, fails, or stalls.
     * @throws InterruptedException if interrupted.
     */
    void fill(final MutableDirectBuffer view, final long stallSeconds) throws IOException, InterruptedException
    {
        int position = 0;
        while (true)
        {
            final List<ByteBuffer> buffers = received.poll(stallSeconds, TimeUnit.SECONDS);
            if (null == buffers)
            {
                throw new IOException("range " + range + ": no data for " + stallSeconds + " s after " + position +
                    " of " + view.capacity() + " bytes");
            }
            if (COMPLETE == buffers)
            {
                if (null != error)
                {
                    throw new IOException("range " + range + " failed after " + position + " bytes: " + error, error);
                }
                if (position != view.capacity())
                {
                    throw new IOException("range " + range + " ended after " + position + " of " + view.capacity() +
                        " bytes");
                }
                return;
            }
            long copied = 0;
            for (final ByteBuffer buffer : buffers)
            {
                final int length = buffer.remaining();
                if (length > view.capacity() - position)
                {
                    throw new IOException("range " + range + ": the server sent more than " + view.capacity() +
                        " bytes");
                }
                view.putBytes(position, buffer, buffer.position(), length);
                position += length;
                copied += length;
            }
            // Release: the hasher's getAcquire of this slot then sees every byte copied above.
            progress.setRelease(chunk, position);
            downloaded.addAndGet(copied);
            subscription.request(1);
        }
    }

    /**
     * Cancels the request if its body was not read to the end (a failure): no buffer is wanted any more.
     */
    void cancel()
    {
        final Flow.Subscription current = subscription;
        if (null != current)
        {
            current.cancel();
        }
    }
}

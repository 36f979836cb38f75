package io.rangedmmap.examples.downloader;

import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Copies a ranged response body straight into the range's view of the mapped file, buffer by buffer as the
 * {@code HttpClient} receives them: no {@code InputStream}, no intermediate {@code byte[]}.
 *
 * <p>The view is valid only while the {@code writeRange} callback that lent it runs; that callback starts the
 * request, waits for this subscriber's body, and calls {@link #close()} before it returns, after which a late
 * {@code onNext} (a cancelled request still delivering) writes nothing.
 *
 * <p><b>Thread safety:</b> the client calls {@code onNext} on its own threads, one call at a time (Reactive Streams
 * rule 1.3); {@code close} may race with it, hence the monitor. Uncontended, it costs nothing beside a copy of
 * tens of KiB.
 */
final class RangeBodySubscriber implements HttpResponse.BodySubscriber<Long>
{
    private final MutableDirectBuffer view;
    private final String range;
    private final AtomicLongArray progress;
    private final int chunk;
    private final AtomicLong downloaded;
    private final CompletableFuture<Long> body = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private int position;
    private boolean closed;

    RangeBodySubscriber(final MutableDirectBuffer view, final String range, final AtomicLongArray progress,
        final int chunk, final AtomicLong downloaded)
    {
        this.view = view;
        this.range = range;
        this.progress = progress;
        this.chunk = chunk;
        this.downloaded = downloaded;
    }

    @Override
    public void onSubscribe(final Flow.Subscription subscription)
    {
        this.subscription = subscription;
        // Unbounded demand: the body goes into memory that is already there, so there is nothing to pace.
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(final List<ByteBuffer> buffers)
    {
        long received = 0;
        synchronized (this)
        {
            if (closed)
            {
                subscription.cancel();
                return;
            }
            for (final ByteBuffer buffer : buffers)
            {
                final int length = buffer.remaining();
                if (length > view.capacity() - position)
                {
                    subscription.cancel();
                    body.completeExceptionally(new IOException("range " + range + ": the server sent more than " +
                        view.capacity() + " bytes"));
                    closed = true;
                    return;
                }
                view.putBytes(position, buffer, buffer.position(), length);
                position += length;
                received += length;
            }
        }
        // Release: the hasher's getAcquire of this slot then sees every byte copied above.
        progress.setRelease(chunk, position);
        downloaded.addAndGet(received);
    }

    @Override
    public void onError(final Throwable error)
    {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete()
    {
        final int length;
        synchronized (this)
        {
            length = position;
        }
        if (length != view.capacity())
        {
            body.completeExceptionally(new IOException("range " + range + " ended after " + length + " of " +
                view.capacity() + " bytes"));
            return;
        }
        body.complete((long)length);
    }

    @Override
    public CompletionStage<Long> getBody()
    {
        return body;
    }

    /**
     * Stops writing into the view: called before the view's {@code writeRange} callback returns.
     */
    void close()
    {
        synchronized (this)
        {
            closed = true;
        }
    }
}

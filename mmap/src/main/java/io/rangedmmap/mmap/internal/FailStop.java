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
package io.rangedmmap.mmap.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One mapped file's fail-stop state, shared by every handle on it: the first flush error or mapping fault fails the
 * file, after which every write and flush through any handle throws with that first error as the cause. A failed
 * flush is never retried, since Linux may report a later flush as successful after dropping the data (fsyncgate).
 * A file mapped read-only refuses every write and flush from the start.
 *
 * <p><b>Thread safety:</b> all methods are safe from any thread; the first {@link #fail(Throwable)} wins.
 */
public final class FailStop
{
    private static final Logger LOG = LoggerFactory.getLogger(MappedRegion.class);

    private final Path path;
    private final boolean readOnly;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    FailStop(final Path path, final boolean readOnly)
    {
        this.path = path;
        this.readOnly = readOnly;
    }

    /**
     * Throws if the file is read-only or has failed; every write calls it first.
     *
     * @throws IllegalStateException if the file was mapped read-only.
     * @throws IllegalStateException with the first error as its cause, if the file has failed.
     */
    public void checkWritable()
    {
        checkNotReadOnly();
        final Throwable cause = failure.get();
        if (null != cause)
        {
            throw new IllegalStateException(path + " has failed and refuses all writes and flushes: " + cause, cause);
        }
    }

    /**
     * Throws if the file is read-only: a {@code pwrite}, which a failed file does not refuse, calls it first.
     *
     * @throws IllegalStateException if the file was mapped read-only.
     */
    public void checkNotReadOnly()
    {
        if (readOnly)
        {
            throw new IllegalStateException(path + " is mapped read-only and refuses all writes and flushes");
        }
    }

    /**
     * Throws if the file has failed; a flush calls it before and after its {@code msync}, so that nothing is reported
     * durable once the file has failed.
     *
     * @throws IOException with the first error as its cause, if the file has failed.
     */
    public void checkFlushable() throws IOException
    {
        final Throwable cause = failure.get();
        if (null != cause)
        {
            throw new IOException(path + " has failed and refuses all flushes: " + cause, cause);
        }
    }

    /**
     * {@return whether the file was mapped read-only}
     */
    public boolean isReadOnly()
    {
        return readOnly;
    }

    /**
     * {@return the first error that failed the file, or {@code null}}
     */
    public Throwable failure()
    {
        return failure.get();
    }

    /**
     * Fails the file; only the first cause is kept.
     *
     * @param cause the error.
     */
    public void fail(final Throwable cause)
    {
        if (failure.compareAndSet(null, cause))
        {
            LOG.error("{} failed; every later write and flush will throw", path, cause);
        }
    }
}

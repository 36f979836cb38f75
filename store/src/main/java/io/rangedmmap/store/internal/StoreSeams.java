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
package io.rangedmmap.store.internal;

import io.rangedmmap.store.PageStore;
import io.rangedmmap.store.StoreOptions;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The supported way for code outside the store's package (benchmarks, probes) to open a store whose durability
 * steps go through its own {@link StoreIo}: the seam the store's tests use from inside the package. Reflection into
 * {@link PageStore} is never needed. {@link PageStore} installs its opener when its class is initialised (the JDK's
 * {@code SharedSecrets} pattern). Not API: this package is not exported.
 *
 * <p><b>Thread safety:</b> any thread.
 */
public final class StoreSeams
{
    /**
     * What {@link PageStore} implements for this seam.
     */
    public interface Opener
    {
        /**
         * Opens a store whose durability steps go through {@code io}.
         *
         * @param path    the store file.
         * @param options the options.
         * @param io      the seam.
         * @return the open store.
         * @throws IOException as {@link PageStore#open(Path, StoreOptions)}.
         */
        PageStore open(Path path, StoreOptions options, StoreIo io) throws IOException;
    }

    private static volatile Opener opener;

    private StoreSeams()
    {
    }

    /**
     * Installs {@link PageStore}'s opener; once.
     *
     * @param implementation the opener, a nested class of {@link PageStore}.
     * @throws IllegalStateException    if an opener is installed already.
     * @throws IllegalArgumentException if {@code implementation} is not {@link PageStore}'s.
     */
    public static synchronized void install(final Opener implementation)
    {
        Objects.requireNonNull(implementation, "implementation");
        if (PageStore.class != implementation.getClass().getNestHost())
        {
            throw new IllegalArgumentException("only PageStore installs the opener, not " + implementation);
        }
        if (null != opener)
        {
            throw new IllegalStateException("the PageStore opener is installed already");
        }
        opener = implementation;
    }

    /**
     * Opens a store at its last durable checkpoint, as {@link PageStore#open(Path, StoreOptions)} does, with its
     * durability steps (metadata and superblock writes, flushes, directory fsyncs) going through {@code io}.
     *
     * @param path    the store file.
     * @param options the options.
     * @param io      the seam; {@link StoreIo#DIRECT} opens exactly as the public {@code open}.
     * @return the open store.
     * @throws IOException as {@link PageStore#open(Path, StoreOptions)}.
     */
    public static PageStore open(final Path path, final StoreOptions options, final StoreIo io) throws IOException
    {
        try
        {
            // PageStore's class initialisation installs the opener; this makes it happen before the read below.
            MethodHandles.lookup().ensureInitialized(PageStore.class);
        }
        catch (final IllegalAccessException ex)
        {
            throw new IllegalStateException("PageStore is public and exported: it cannot be inaccessible here", ex);
        }
        // Volatile read: partner of the write in install, made by PageStore's class initialisation.
        return opener.open(path, options, io);
    }
}

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

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Thrown when an access to the mapping faults: the file was truncated under the mapping (by another process), the
 * disk failed, or a sparse file could not get a block on a full disk.
 *
 * <p>The JVM turns the kernel's {@code SIGBUS} into an {@code InternalError} at the faulting access; the library
 * turns that into this exception, and the file is failed: every later write or flush on any handle of the file
 * throws. Data written before the fault and not flushed may be lost.
 */
public final class MappingFaultException extends UncheckedIOException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was accessed, with the offsets and the file.
     * @param cause   the JVM's report of the fault.
     */
    public MappingFaultException(final String message, final Throwable cause)
    {
        super(message, new IOException(message, cause));
    }
}

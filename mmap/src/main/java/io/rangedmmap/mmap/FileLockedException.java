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

import java.nio.file.FileSystemException;

/**
 * Thrown when a file cannot be opened because another handle, in this JVM or in another process, holds it open.
 *
 * <p>Every {@link MmapFile}, {@link RawMmapFile} and page store holds an exclusive lock on its file for as long as
 * it is open, so that two mappings never write the same file without knowing of each other.
 */
public final class FileLockedException extends FileSystemException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param file   the file that is locked.
     * @param reason who holds it, for the message.
     */
    public FileLockedException(final String file, final String reason)
    {
        super(file, null, reason);
    }
}

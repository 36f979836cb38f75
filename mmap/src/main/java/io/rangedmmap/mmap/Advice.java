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
 * Access-pattern hints passed to the kernel with {@code madvise(2)}.
 *
 * <p>Hints change performance, never contents: dropping pages of a shared file mapping with {@link #DONT_NEED}
 * keeps every write in the page cache.
 */
public enum Advice
{
    /**
     * No special treatment ({@code MADV_NORMAL}).
     */
    NORMAL(0),
    /**
     * Random access: read ahead less ({@code MADV_RANDOM}).
     */
    RANDOM(1),
    /**
     * Sequential access: read ahead more, free pages behind ({@code MADV_SEQUENTIAL}).
     */
    SEQUENTIAL(2),
    /**
     * Will be accessed soon: start reading it in ({@code MADV_WILLNEED}).
     */
    WILL_NEED(3),
    /**
     * Not needed soon: the kernel may drop these pages from this mapping ({@code MADV_DONTNEED}); written data stays
     * in the page cache and the file.
     */
    DONT_NEED(4),
    /**
     * Fault the pages in writable now, off the writers' path ({@code MADV_POPULATE_WRITE}, Linux 5.14 and later):
     * what a downloader wants before its first pass.
     */
    POPULATE_WRITE(23);

    private final int code;

    Advice(final int code)
    {
        this.code = code;
    }

    /**
     * {@return the {@code madvise} constant on Linux}
     */
    public int code()
    {
        return code;
    }
}

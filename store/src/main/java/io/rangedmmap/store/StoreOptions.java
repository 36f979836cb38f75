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
package io.rangedmmap.store;

/**
 * Options for {@link PageStore#create(java.nio.file.Path, long, StoreOptions)} and
 * {@link PageStore#open(java.nio.file.Path, StoreOptions)}; none of them is stored in the file.
 *
 * <p>Immutable: each {@code with…} method returns a new instance.
 */
public final class StoreOptions
{
    /**
     * The default number of pages a writer claims from the store's free pool at a time.
     */
    public static final int DEFAULT_EXTENT_PAGES = 64;

    /**
     * The largest extent.
     */
    public static final int MAX_EXTENT_PAGES = 1 << 20;

    private static final StoreOptions DEFAULTS = new StoreOptions(DEFAULT_EXTENT_PAGES);

    private final int extentPages;

    private StoreOptions(final int extentPages)
    {
        this.extentPages = extentPages;
    }

    /**
     * {@return the default options}
     */
    public static StoreOptions defaults()
    {
        return DEFAULTS;
    }

    /**
     * Sets how many pages a writer claims from the shared pool at a time (more for a larger
     * {@link PageWriter#allocate(int)}). Larger extents mean fewer atomic operations on the shared pool; smaller
     * ones leave fewer free pages held by idle writers.
     *
     * @param pages the extent size in pages.
     * @return options with this extent size.
     * @throws IllegalArgumentException if {@code pages < 1} or {@code pages > MAX_EXTENT_PAGES}.
     */
    public StoreOptions withExtentPages(final int pages)
    {
        if (pages < 1 || pages > MAX_EXTENT_PAGES)
        {
            throw new IllegalArgumentException("extentPages=" + pages + " must be in [1, " + MAX_EXTENT_PAGES + "]");
        }
        return new StoreOptions(pages);
    }

    /**
     * {@return how many pages a writer claims from the shared pool at a time}
     */
    public int extentPages()
    {
        return extentPages;
    }

    @Override
    public String toString()
    {
        return "StoreOptions{extentPages=" + extentPages + "}";
    }
}

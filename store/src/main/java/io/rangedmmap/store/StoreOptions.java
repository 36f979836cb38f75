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

import io.rangedmmap.store.internal.format.StoreLayout;

/**
 * Options for {@link PageStore#create(java.nio.file.Path, long, StoreOptions)} and
 * {@link PageStore#open(java.nio.file.Path, StoreOptions)}. Only {@link #withMaxPages(long)} is stored in the file
 * (by {@code create}, or by an {@code open} that changes it); the others apply to the store instance they open.
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

    /**
     * The value of {@link #maxPages()} and {@link #growthPages()} when not set.
     */
    public static final long UNSET = 0;

    private static final StoreOptions DEFAULTS = new StoreOptions(DEFAULT_EXTENT_PAGES, UNSET, UNSET);

    private final int extentPages;
    private final long maxPages;
    private final long growthPages;

    private StoreOptions(final int extentPages, final long maxPages, final long growthPages)
    {
        this.extentPages = extentPages;
        this.maxPages = maxPages;
        this.growthPages = growthPages;
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
        return new StoreOptions(pages, maxPages, growthPages);
    }

    /**
     * Lets the store grow, by itself, up to {@code maxPages} user pages: a store created with it starts at the
     * {@code pageCount} given to {@code create} and grows by {@link #withGrowthPages(long) a step} whenever writers
     * need more pages than are free (or when {@link PageStore#grow(long)} is called). Without it a store keeps its
     * size. The value is stored in the file and used again by {@code open}; given to {@code open}, it replaces the
     * stored one (to raise it, or lower it down to the current page count), recorded by a checkpoint at open.
     *
     * @param maxPages the largest number of user pages.
     * @return options with this maximum.
     * @throws IllegalArgumentException if {@code maxPages < 1} or {@code maxPages > 2^32} (16 TiB of pages).
     */
    public StoreOptions withMaxPages(final long maxPages)
    {
        if (maxPages < 1 || maxPages > StoreLayout.MAX_PAGE_COUNT)
        {
            throw new IllegalArgumentException("maxPages=" + maxPages + " must be in [1, " +
                StoreLayout.MAX_PAGE_COUNT + "]");
        }
        return new StoreOptions(extentPages, maxPages, growthPages);
    }

    /**
     * Sets the step by which a store that may grow ({@link #withMaxPages(long)}) grows by itself. The default is 10%
     * of the store's current size or 64 MiB of pages, whichever is larger; a growth never passes {@code maxPages},
     * and always covers what the writer asked for.
     *
     * @param pages the step in pages.
     * @return options with this step.
     * @throws IllegalArgumentException if {@code pages < 1} or {@code pages > 2^32}.
     */
    public StoreOptions withGrowthPages(final long pages)
    {
        if (pages < 1 || pages > StoreLayout.MAX_PAGE_COUNT)
        {
            throw new IllegalArgumentException("growthPages=" + pages + " must be in [1, " +
                StoreLayout.MAX_PAGE_COUNT + "]");
        }
        return new StoreOptions(extentPages, maxPages, pages);
    }

    /**
     * {@return the largest number of user pages set by {@link #withMaxPages(long)}, or {@link #UNSET}}
     */
    public long maxPages()
    {
        return maxPages;
    }

    /**
     * {@return the growth step set by {@link #withGrowthPages(long)}, or {@link #UNSET} for the default}
     */
    public long growthPages()
    {
        return growthPages;
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
        return "StoreOptions{extentPages=" + extentPages + (UNSET == maxPages ? "" : ", maxPages=" + maxPages) +
            (UNSET == growthPages ? "" : ", growthPages=" + growthPages) + "}";
    }
}

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

import java.util.List;

/**
 * The findings of {@link PageStore#verify()}.
 *
 * <p>Problems come in three kinds: corrupt user pages; problems of the metadata the store runs on (the current
 * superblock and metadata copy); and <em>redundancy</em> problems: a damaged spare superblock or spare metadata
 * copy. A redundancy problem loses no data now, but the store can no longer fall back to its previous checkpoint if
 * its current superblock is damaged, and a damaged spare superblock may be an acknowledged checkpoint that
 * {@code open} had to roll back (see {@link PageStore#superblockFallback()}). It is also what a crash in the middle
 * of a checkpoint leaves; the next checkpoint rewrites the spare superblock and metadata copy and clears it.
 *
 * @param pagesChecked         the number of live pages whose bytes were checked against their CRC32C.
 * @param corruptPages         the ids of the pages whose bytes do not match their CRC32C, ascending.
 * @param metadataPagesChecked the number of metadata pages checked: both superblocks and both table copies.
 * @param metadataProblems     what is wrong with the current superblock and metadata copy, one message each.
 * @param redundancyProblems   what is wrong with the spare superblock and metadata copy, one message each.
 */
public record VerifyReport(
    long pagesChecked, List<Long> corruptPages, long metadataPagesChecked, List<String> metadataProblems,
    List<String> redundancyProblems)
{
    /**
     * Copies the lists.
     *
     * @param pagesChecked         the number of live pages checked.
     * @param corruptPages         the corrupt pages.
     * @param metadataPagesChecked the number of metadata pages checked.
     * @param metadataProblems     the metadata problems.
     * @param redundancyProblems   the redundancy problems.
     */
    public VerifyReport
    {
        corruptPages = List.copyOf(corruptPages);
        metadataProblems = List.copyOf(metadataProblems);
        redundancyProblems = List.copyOf(redundancyProblems);
    }

    /**
     * {@return whether nothing is wrong: no corrupt page, no metadata problem and no redundancy problem}
     */
    public boolean isClean()
    {
        return corruptPages.isEmpty() && metadataProblems.isEmpty() && redundancyProblems.isEmpty();
    }
}

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
 * @param pagesChecked         the number of live pages whose bytes were checked against their CRC32C.
 * @param corruptPages         the ids of the pages whose bytes do not match their CRC32C, ascending.
 * @param metadataPagesChecked the number of metadata pages checked (superblock and current table copy).
 * @param metadataProblems     what is wrong with the metadata, one message per problem.
 */
public record VerifyReport(
    long pagesChecked, List<Long> corruptPages, long metadataPagesChecked, List<String> metadataProblems)
{
    /**
     * Copies the lists.
     *
     * @param pagesChecked         the number of live pages checked.
     * @param corruptPages         the corrupt pages.
     * @param metadataPagesChecked the number of metadata pages checked.
     * @param metadataProblems     the metadata problems.
     */
    public VerifyReport
    {
        corruptPages = List.copyOf(corruptPages);
        metadataProblems = List.copyOf(metadataProblems);
    }

    /**
     * {@return whether nothing is wrong: no corrupt page and no metadata problem}
     */
    public boolean isClean()
    {
        return corruptPages.isEmpty() && metadataProblems.isEmpty();
    }
}

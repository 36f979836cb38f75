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

import org.agrona.MutableDirectBuffer;

/**
 * Writes a range in place, through a view of exactly that range of the mapping.
 */
@FunctionalInterface
public interface RangeWriter
{
    /**
     * Fills the range. The view covers exactly the range (index 0 is the range's first byte, capacity its length),
     * is bounds-checked, and is valid only until this method returns: afterwards it has capacity 0.
     *
     * @param buffer the view.
     */
    void write(MutableDirectBuffer buffer);
}

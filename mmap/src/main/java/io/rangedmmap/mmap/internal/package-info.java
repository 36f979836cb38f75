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
/**
 * Internals of the {@code mmap} module: the shared mapping, the per-handle close gate, native calls and the JVM
 * flag check.
 *
 * <p><b>Not API:</b> these types are public only so that the {@code io.rangedmmap.mmap} package can use them; they
 * may change in any release. Use {@link io.rangedmmap.mmap.MmapFile} and {@link io.rangedmmap.mmap.RawMmapFile}.
 */
package io.rangedmmap.mmap.internal;

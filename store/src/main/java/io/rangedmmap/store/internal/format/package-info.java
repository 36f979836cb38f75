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
 * The store's on-disk format, one class per structure; the Javadoc of each is the specification. <b>Not API.</b>
 *
 * <p>{@link io.rangedmmap.store.internal.format.StoreLayout} places the structures in the file;
 * {@link io.rangedmmap.store.internal.format.SuperblockDescriptor} and
 * {@link io.rangedmmap.store.internal.format.MetadataPageDescriptor} give their bytes;
 * {@link io.rangedmmap.store.internal.format.FormatVersion} the magic number and version every format keeps in
 * place. All integers are little-endian; every structure carries a CRC32C.
 */
package io.rangedmmap.store.internal.format;

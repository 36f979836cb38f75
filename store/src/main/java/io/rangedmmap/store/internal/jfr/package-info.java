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
 * JDK Flight Recorder events of the page store; not API (mechanics, like the rest of {@code internal}).
 *
 * <p>The store emits {@code io.rangedmmap.store.Checkpoint} (each checkpoint that returned: sequence, pages,
 * bytes, the time of each phase), {@code io.rangedmmap.store.SuperblockFallback} (an open that had to use the older
 * superblock because the newer one was unreadable) and {@code io.rangedmmap.store.StoreFailed} (the first flush
 * error or mapping fault that failed a store). Record them with
 * {@code java -XX:StartFlightRecording:filename=store.jfr ...} or {@code jcmd <pid> JFR.start filename=store.jfr},
 * and read them with {@code jfr print --categories ranged-mmap store.jfr}.
 *
 * <p>Cost when no recording runs: each emit site asks {@code isEnabled()} or {@code shouldCommit()} before it
 * reads a clock or builds a field, and the event object of a disabled event does not escape, so the JIT removes it.
 */
package io.rangedmmap.store.internal.jfr;

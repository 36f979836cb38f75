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
package io.rangedmmap.store.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * The first error that failed a store (a flush error or a mapping fault): from here on every call throws
 * {@code StoreFailedException} until the store is reopened. Recorded with the stack trace of the failing call.
 */
@Name("io.rangedmmap.store.StoreFailed")
@Label("Page Store Failed")
@Category({"ranged-mmap", "Page Store"})
@Description("A page store failed for good: the first flush error or mapping fault")
public final class StoreFailedEvent extends Event
{
    private StoreFailedEvent()
    {
    }

    @Label("Store")
    @Description("The store file")
    String store;

    @Label("Error")
    @Description("The class of the first error")
    String error;

    @Label("Message")
    @Description("The first error's message")
    String message;

    /**
     * Emits the event if a recording enables it.
     *
     * @param store the store file.
     * @param cause the first error.
     */
    public static void emit(final String store, final Throwable cause)
    {
        final StoreFailedEvent event = new StoreFailedEvent();
        if (event.shouldCommit())
        {
            event.store = store;
            event.error = cause.getClass().getName();
            event.message = String.valueOf(cause.getMessage());
            event.commit();
        }
    }
}

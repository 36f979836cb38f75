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

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module boundary as the descriptor declares it: the API package is exported to everyone, {@code internal} and
 * {@code internal.format} only to the benchmarks, and nothing else (the tests run on the module path).
 */
class ModuleBoundaryTest
{
    @Test
    void shouldExportTheApiToAllAndTheInternalsOnlyToTheModulesBuiltOnThem()
    {
        final Module module = PageStore.class.getModule();
        assertTrue(module.isNamed(), "the tests run on the module path");
        assertEquals("io.rangedmmap.store", module.getName());
        final Map<String, Set<String>> exports = module.getDescriptor().exports().stream()
            .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
        assertEquals(Map.of("io.rangedmmap.store", Set.of(),
            "io.rangedmmap.store.internal", Set.of("io.rangedmmap.benchmarks"),
            "io.rangedmmap.store.internal.format", Set.of("io.rangedmmap.benchmarks")), exports);
        assertTrue(module.getDescriptor().opens().isEmpty(), module.getDescriptor().opens().toString());
    }
}

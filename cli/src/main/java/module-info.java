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
 * The {@code ranged-mmap} command-line tool, a user of the library's exported API only: javac refuses any use of
 * {@code io.rangedmmap.mmap.internal} or {@code io.rangedmmap.store.internal} here.
 *
 * <p>Run as {@code java -jar ranged-mmap.jar} (the shaded jar, on the class path: its manifest sets both JVM flags for
 * {@code ALL-UNNAMED}) or on the module path: {@code java --add-opens java.base/jdk.internal.misc=org.agrona
 * --enable-native-access=io.rangedmmap.mmap -p <jars> -m io.rangedmmap.cli/io.rangedmmap.cli.RangedMmapCli}.
 */
module io.rangedmmap.cli
{
    requires io.rangedmmap.store;
    requires info.picocli;

    // picocli reads and sets the commands' annotated private fields by reflection.
    opens io.rangedmmap.cli to info.picocli;
}

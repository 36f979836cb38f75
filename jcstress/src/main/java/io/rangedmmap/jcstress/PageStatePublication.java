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
package io.rangedmmap.jcstress;

import io.rangedmmap.store.internal.PageTable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The page-state publication of the store's page table: the writer records the page's CRC (a plain store), its tag
 * (a release store) and then publishes WRITTEN in its state byte (a release store); the reader loads the state
 * (acquire), the tag that holds a written page's word (acquire), and then the CRC. {@code r1} is the state seen,
 * {@code r2} the CRC seen.
 */
@JCStressTest
@Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "not yet published, nothing seen")
@Outcome(id = "0, 42", expect = Expect.ACCEPTABLE_INTERESTING,
    desc = "not yet published, the CRC already visible (plain store; harmless: the state gates every use)")
@Outcome(id = "2, 42", expect = Expect.ACCEPTABLE, desc = "published, with its CRC")
@Outcome(id = "2, 0", expect = Expect.FORBIDDEN, desc = "published state seen without the CRC stored before it")
@State
public class PageStatePublication
{
    private final PageTable table = new PageTable(1);

    @Actor
    public void writer()
    {
        table.written(0, PageTable.writtenWith(1), 42);
    }

    @Actor
    public void reader(final II_Result r)
    {
        r.r1 = PageTable.stateOf(table.stateAcquire(0));
        r.r2 = table.writtenCrc(0);
    }
}

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
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Two pages share a byte of the page table's states (half a byte each): two threads change them at once, one making
 * page 0 live (a checkpoint), the other freeing page 1 of its allocation (a writer's discard). Neither change may undo
 * the other: the arbiter must see page 0 LIVE (3) and page 1 FREE (0).
 */
@JCStressTest
@Outcome(id = "3, 0", expect = Expect.ACCEPTABLE, desc = "both changes kept")
@Outcome(expect = Expect.FORBIDDEN, desc = "one page's change overwrote its neighbour's")
@State
public class PageStateNeighbours
{
    private final PageTable table = new PageTable(2);

    /**
     * Page 0 written, page 1 allocated, as a checkpoint and a discard find them.
     */
    public PageStateNeighbours()
    {
        table.allocated(0, 2, PageTable.allocatedBy(1));
        table.written(0, PageTable.writtenWith(1), 42);
    }

    @Actor
    public void checkpoint()
    {
        table.madeLive(0);
    }

    @Actor
    public void discard()
    {
        table.unallocated(1);
    }

    @Arbiter
    public void arbiter(final II_Result r)
    {
        r.r1 = PageTable.stateOf(table.stateAcquire(0));
        r.r2 = PageTable.stateOf(table.stateAcquire(1));
    }
}

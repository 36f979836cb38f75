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

import io.rangedmmap.mmap.internal.HandleGate;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The open/close race of the mmap close gate: one actor makes an access (enter, a plain store standing for the
 * write into the mapping, exit) while the other closes the gate and then looks at what the access left. {@code r1}
 * is 1 if the access entered, 0 if it was refused; {@code r2} is what {@code close}'s caller sees of the access's
 * store once {@code close} has returned (the moment the mapping may be unmapped).
 */
@JCStressTest
@Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "the access was refused: close came first")
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "the access entered and ended before close returned")
@Outcome(id = "1, 0", expect = Expect.FORBIDDEN,
    desc = "close returned while an access was inside, or without seeing its write: an unmap under a writer")
@Outcome(id = "0, 1", expect = Expect.FORBIDDEN, desc = "a refused access wrote")
@State
public class HandleGateCloseRace
{
    private final HandleGate gate = new HandleGate("litmus");
    private int written;

    @Actor
    public void access(final II_Result r)
    {
        final int cell;
        try
        {
            cell = gate.enter();
        }
        catch (final IllegalStateException ex)
        {
            r.r1 = 0;
            return;
        }
        written = 1;
        gate.exit(cell);
        r.r1 = 1;
    }

    @Actor
    public void close(final II_Result r)
    {
        gate.close();
        r.r2 = written;
    }
}

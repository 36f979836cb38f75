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
package io.rangedmmap.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code ranged-mmap} command-line tool: inspect, verify, dump and back up page stores, and measure this machine.
 *
 * <p>Exit codes: 0 success; 1 the store is corrupt (verify) or a page is; 2 bad usage; 3 the store could not be
 * opened or read (missing, in use by another process, not a store, newer format, or more memory needed than the
 * JVM has). The inspecting commands open stores read-only.
 */
@Command(name = "ranged-mmap", mixinStandardHelpOptions = true, version = "ranged-mmap 0.1.0",
    description = "Inspect, verify, dump and back up ranged-mmap page stores, and measure write throughput on this " +
        "machine.",
    subcommands = {InfoCommand.class, VerifyCommand.class, DumpCommand.class, BackupCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:corruption found",
        "2:bad usage",
        "3:the store could not be opened or read (also: in use by another process, out of memory)"})
public final class RangedMmapCli implements Runnable
{
    /**
     * Exit code: corruption found.
     */
    public static final int CORRUPT = 1;
    /**
     * Exit code: the store could not be opened or read.
     */
    public static final int CANNOT_OPEN = 3;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * Prints the usage when no subcommand is given.
     */
    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "missing command: info, verify, dump, backup or bench");
    }

    /**
     * Entry point.
     *
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the tool.
     *
     * @param args the command line.
     * @param out  standard output.
     * @param err  standard error.
     * @return the exit code.
     */
    public static int run(final String[] args, final PrintWriter out, final PrintWriter err)
    {
        final CommandLine commandLine = new CommandLine(new RangedMmapCli());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((ex, line, parsed) ->
        {
            // Expected failures get one line naming the problem, not a stack trace.
            line.getErr().println("ranged-mmap: " + (ex instanceof StoreAccess.StoreInUseException ? "" :
                ex.getClass().getSimpleName() + ": ") + ex.getMessage());
            line.getErr().flush();
            return CANNOT_OPEN;
        });
        int code;
        try
        {
            code = commandLine.execute(args);
        }
        catch (final OutOfMemoryError ex)
        {
            code = outOfMemory(err, ex);
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Running out of heap is not corruption: it is exit 3, with what was being done.
     */
    private static int outOfMemory(final PrintWriter err, final OutOfMemoryError ex)
    {
        err.println("ranged-mmap: out of memory: " + ex.getMessage() + " (max heap " +
            Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB; give the JVM more with -Xmx)");
        err.flush();
        return CANNOT_OPEN;
    }
}

/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/** One {@code hvdbg} command. */
interface Command {
    /** Where a command reads and writes: the process streams, or buffers in tests. */
    record Io(PrintStream out, PrintStream err, InputStream in) {
    }

    /** Runs the command with its arguments (after the command name); returns the exit status. */
    int execute(List<String> args, Io io) throws CliException;
}

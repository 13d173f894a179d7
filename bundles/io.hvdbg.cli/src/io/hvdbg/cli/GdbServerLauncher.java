/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.io.IOException;
import java.io.PrintStream;

import io.hvdbg.core.VirtualMachine;

/**
 * Starts the GDB remote stub for {@code hvdbg run --gdb}. The implementation in use is chosen
 * in one place, {@link GdbServerLaunchers#INSTALLED}.
 */
public interface GdbServerLauncher {
    /**
     * Serves {@code vm} (started, paused) on {@code endpoint}. With {@code waitForClient} the
     * guest stays paused until a debugger attaches and resumes it; otherwise the caller resumes
     * it right after this returns. Progress ("listening on ...") goes to {@code log}.
     *
     * @throws IOException                   if the port cannot be opened (the message names it)
     * @throws UnsupportedOperationException if this build has no stub (the message says so)
     */
    GdbServer start(VirtualMachine vm, GdbEndpoint endpoint, boolean waitForClient, PrintStream log)
            throws IOException;
}

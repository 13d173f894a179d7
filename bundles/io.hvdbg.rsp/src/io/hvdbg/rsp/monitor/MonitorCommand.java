/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp.monitor;

import io.hvdbg.rsp.server.GdbSession;

/**
 * One {@code monitor} command.
 *
 * @param name          what the user types
 * @param usage         synopsis for help and error messages
 * @param summary       one line for {@code monitor help}
 * @param whileRunning  true if it only reads data that is safe to read while the VM runs
 *                      (trace, statistics, breakpoint lists)
 * @param action        the implementation
 */
public record MonitorCommand(String name, String usage, String summary, boolean whileRunning, Action action) {
    /** Runs a command, appending its output; throws IllegalArgumentException/IllegalStateException for user errors. */
    @FunctionalInterface
    public interface Action {
        void run(GdbSession session, MonitorArgs args, StringBuilder out);
    }
}

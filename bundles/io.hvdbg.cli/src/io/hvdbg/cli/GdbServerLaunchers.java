/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.io.PrintStream;

import io.hvdbg.core.VirtualMachine;

/** Which {@link GdbServerLauncher} {@code hvdbg run --gdb} uses. */
public final class GdbServerLaunchers {
    private GdbServerLaunchers() {
    }

    // =========================================================================================
    // RSP stub slot: replace NOT_AVAILABLE with the io.hvdbg.rsp stub's launcher, e.g.
    //     static final GdbServerLauncher INSTALLED = new RspGdbServerLauncher();
    // Nothing else in io.hvdbg.cli needs to change for --gdb / --wait-gdb to work.
    // =========================================================================================
    static final GdbServerLauncher INSTALLED = GdbServerLaunchers::notAvailable;

    /** The launcher {@code hvdbg run --gdb} uses. */
    public static GdbServerLauncher installed() {
        return INSTALLED;
    }

    private static GdbServer notAvailable(VirtualMachine vm, GdbEndpoint endpoint, boolean wait, PrintStream log) {
        throw new UnsupportedOperationException("the GDB remote stub (--gdb) is not yet available in this build");
    }
}

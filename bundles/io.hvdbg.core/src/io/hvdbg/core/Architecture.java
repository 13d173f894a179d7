/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core;

import java.util.Locale;

/** Guest architectures hvdbg runs. */
public enum Architecture {
    X86_64("x86_64", "i386:x86-64"),
    RISCV64("riscv64", "riscv:rv64");

    private final String cliName;
    private final String gdbArchitecture;

    Architecture(String cliName, String gdbArchitecture) {
        this.cliName = cliName;
        this.gdbArchitecture = gdbArchitecture;
    }

    /** Name used on the command line ({@code --arch}). */
    public String cliName() {
        return cliName;
    }

    /** BFD architecture name gdb uses in target descriptions. */
    public String gdbArchitecture() {
        return gdbArchitecture;
    }

    /** Parses {@code x86_64}/{@code x86-64}/{@code amd64} or {@code riscv64}/{@code rv64}; null if unknown. */
    public static Architecture parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "x86_64", "x86-64", "amd64", "x64" -> X86_64;
            case "riscv64", "rv64", "riscv" -> RISCV64;
            default -> null;
        };
    }
}

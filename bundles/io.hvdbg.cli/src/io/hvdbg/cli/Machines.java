/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import io.hvdbg.core.Architecture;
import io.hvdbg.core.MachineFactory;
import io.hvdbg.riscv.RiscvMachineFactory;
import io.hvdbg.x86.X86MachineFactory;

/** The machine factory of each architecture, and where its bundled demo guest lives. */
public final class Machines {
    private Machines() {
    }

    /** A new factory for the architecture. */
    public static MachineFactory factory(Architecture architecture) {
        return switch (architecture) {
            case X86_64 -> new X86MachineFactory();
            case RISCV64 -> new RiscvMachineFactory();
        };
    }

    /** Name of the architecture's demo guest in io.hvdbg.guests (for {@code GuestImages}). */
    public static String demoImage(Architecture architecture) {
        return architecture.cliName() + "/demo.elf";
    }

    /**
     * The exit status a demo guest ends with when it passes: x86 guests write 0 to the
     * isa-debug-exit port (status (0 << 1) | 1 = 1), RISC-V guests shut down through SBI (0).
     */
    public static int passStatus(Architecture architecture) {
        return architecture == Architecture.X86_64 ? 1 : 0;
    }

    /** Parses {@code --arch}; the message names the bad value. */
    public static Architecture parseArchitecture(String command, String value) throws CliException {
        Architecture a = Architecture.parse(value);
        if (a == null) {
            throw CliException.usage(command, "option --arch must be x86_64 or riscv64, not '" + value + "'");
        }
        return a;
    }
}
